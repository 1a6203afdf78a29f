"""The /text filters offer only values from the user's own part of the organisation
(issue 10, item 13): a channel or source is a hidden-field value, i.e. another unit's data."""
from text_wiring_helpers import seed_texts

SOUTH_ONLY = [("SOUTH-01", 3, "south_kiosk_src", "wechat_south_secret", "广州店服务很好，下次再来")]
EAST_ONLY = [("EAST-01", 3, "east_pos_src", "east_counter", "上海店上菜很快，服务热情")]


def text_page(client):
    response = client.get("/text/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_bob_does_not_see_south_channels_or_sources_in_the_filters(app, as_user):
    seed_texts(app, SOUTH_ONLY + EAST_ONLY)
    bob_page = text_page(as_user("bob"))
    assert "east_counter" in bob_page and "east_pos_src" in bob_page
    assert "wechat_south_secret" not in bob_page and "south_kiosk_src" not in bob_page


def test_charlie_sees_only_his_store_and_alice_sees_both(app, as_user):
    seed_texts(app, SOUTH_ONLY + EAST_ONLY)
    charlie_page = text_page(as_user("charlie"))
    assert "wechat_south_secret" in charlie_page and "east_counter" not in charlie_page
    alice_page = text_page(as_user("alice"))
    assert "wechat_south_secret" in alice_page and "east_counter" in alice_page
