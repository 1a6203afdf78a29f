"""The first-run journey in a real browser: the wizard, then signing in."""
import pytest

from helpers import make_app, screenshot

pytestmark = pytest.mark.browser


def test_an_admin_sets_up_the_appliance_and_signs_in(tmp_path, live_server, browser, smtp_server):
    server = live_server(make_app(tmp_path / "data"))
    page = browser.new_page(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page.goto(server.url + "/")
    assert page.url.endswith("/setup/admin")
    assert "创建管理员账号" in page.content()
    screenshot(page, "wizard-1-admin-zh")

    page.fill("#f-display_name", "王管理")
    page.fill("#f-email", "it@example.com")
    page.fill("#f-password", "Strong-Pass-2026")
    page.fill("#f-confirm", "Strong-Pass-2026")
    page.click("text=创建并继续")

    page.wait_for_url("**/setup/organisation")
    page.fill("#f-org_name", "招商示范银行")
    page.fill("#f-root_code", "BANK")
    page.fill("#f-first_level", "EAST 华东分行\nSOUTH 华南分行")
    screenshot(page, "wizard-2-organisation-zh")
    page.click("text=保存并继续")

    page.wait_for_url("**/setup/smtp")
    page.fill("#f-host", "127.0.0.1")
    page.fill("#f-port", str(smtp_server.port))
    page.fill("#f-sender", "cx@example.com")
    page.fill("#f-test_to", "it@example.com")
    page.click("button[value=test]")
    page.wait_for_selector(".flash-success")
    assert "测试邮件已发送" in page.content()
    assert smtp_server.received.wait(10)
    assert smtp_server.messages[0].rcpt_tos == ["it@example.com"]
    page.click("text=保存并继续")

    page.wait_for_url("**/setup/preferences")
    page.fill("#f-base_url", "https://cx.bank.example")
    page.select_option("#f-timezone", "Asia/Shanghai")
    page.click("text=完成设置")

    page.wait_for_url(server.url + "/")
    assert "初始化完成" in page.content()
    screenshot(page, "dashboard-shell-zh")
    page.click("text=退出登录")

    page.wait_for_url("**/login")
    page.fill("#username", "admin")
    page.fill("#password", "Strong-Pass-2026")
    page.click("button.primary")
    page.wait_for_url(server.url + "/")
    assert "您好，王管理" in page.content()

    page.goto(server.url + "/setup/admin")
    assert "404" in page.content()   # the wizard never runs again
