/* Designer interface strings in Chinese and English, chosen from <html lang>. */
(function () {
  "use strict";
  var STRINGS = {
    zh_CN: {
      back: "问卷列表", collecting: "收集中", saved: "已保存", saving: "正在保存…", unsaved: "有未保存的修改",
      save_failed: "保存失败：", publish: "发布", publishing: "正在发布…",
      published: "已发布为第 {n} 版", not_ready: "还不能发布，请先处理以下问题：",
      problems: "待处理问题", no_problems: "问卷完整，可以发布。", settings: "设置", versions: "版本记录",
      survey: "问卷", title: "标题", intro: "开场说明", thank_you: "结束语", closed_message: "关闭提示",
      hidden_fields: "隐藏字段", hidden_help: "从链接参数读取，如 ?unit=EAST-01&channel=qr",
      add: "添加", add_question: "添加题目", add_page: "添加页面", page: "第 {n} 页", page_title: "页面标题",
      question_text: "题目", help: "说明", required: "必答", touchpoint: "触点", metric: "指标角色",
      none: "无", choices: "选项", add_choice: "添加选项", rows: "行（子题）", add_row: "添加行",
      scale_items: "量表刻度", add_scale: "添加刻度", other: "允许“其他”并填写", randomize: "随机排序",
      min: "最少", max: "最多", min_length: "最少字数", max_length: "最多字数", multiline: "多行输入",
      integer: "只允许整数", scale: "量表长度", style: "样式", stars: "星级", faces: "表情", numbers: "数字",
      low_label: "低分标签", high_label: "高分标签", fields: "收集字段",
      name: "姓名", phone: "手机", email: "邮箱", value: "分值",
      logic: "显示逻辑", add_condition: "添加显示条件", and_more: "再加一个条件", all: "全部满足", any: "满足任一",
      always_shown: "始终显示", skip: "跳转规则", add_skip: "添加跳转", go_to: "跳到", end: "结束问卷",
      move_up: "上移", move_down: "下移", duplicate: "复制", remove: "删除", edit: "编辑", close: "收起",
      confirm_delete: "确定删除？", confirm_delete_page: "删除此页及其所有题目？",
      hidden_prefix: "隐藏字段：", no_earlier: "前面还没有可引用的题目", empty_page: "此页还没有题目，从左侧添加。",
      preview: "手机预览", read_only: "只读：您没有编辑此问卷的权限。", invalid_key: "字段名只能用小写字母、数字和下划线，且以字母开头",
      complex: "复杂条件（保留原样）",
      group: "条件组", add_group: "添加条件组", add_to_group: "组内再加条件", remove_group: "删除条件组",
      insert_answer: "插入答案…", insert_help: "在光标处插入前面题目的答案或隐藏字段",
      types: {single_choice: "单选", multiple_choice: "多选", dropdown: "下拉", nps: "NPS 0–10",
              rating: "评分 / CSAT", ces: "费力度 CES", matrix: "矩阵量表", ranking: "排序",
              text: "文本", number: "数字", date: "日期", contact: "联系方式"}
    },
    en: {
      back: "Surveys", collecting: "Collecting", saved: "Saved", saving: "Saving…", unsaved: "Unsaved changes",
      save_failed: "Not saved: ", publish: "Publish", publishing: "Publishing…",
      published: "Published as version {n}", not_ready: "Not ready to publish. Fix these first:",
      problems: "To fix", no_problems: "The survey is complete and can be published.", settings: "Settings", versions: "Versions",
      survey: "Survey", title: "Title", intro: "Introduction", thank_you: "Thank-you message", closed_message: "Closed message",
      hidden_fields: "Hidden fields", hidden_help: "Read from the link, e.g. ?unit=EAST-01&channel=qr",
      add: "Add", add_question: "Add a question", add_page: "Add a page", page: "Page {n}", page_title: "Page title",
      question_text: "Question", help: "Help text", required: "Required", touchpoint: "Touchpoint", metric: "Metric role",
      none: "None", choices: "Choices", add_choice: "Add a choice", rows: "Rows", add_row: "Add a row",
      scale_items: "Scale points", add_scale: "Add a point", other: "Allow “Other” with text", randomize: "Shuffle choices",
      min: "Minimum", max: "Maximum", min_length: "Minimum length", max_length: "Maximum length", multiline: "Several lines",
      integer: "Whole numbers only", scale: "Scale length", style: "Style", stars: "Stars", faces: "Faces", numbers: "Numbers",
      low_label: "Low end label", high_label: "High end label", fields: "Fields to collect",
      name: "Name", phone: "Phone", email: "Email", value: "Value",
      logic: "Display logic", add_condition: "Add a display condition", and_more: "Add another condition", all: "all of", any: "any of",
      always_shown: "Always shown", skip: "Skip rules", add_skip: "Add a skip rule", go_to: "go to", end: "End of survey",
      move_up: "Move up", move_down: "Move down", duplicate: "Duplicate", remove: "Delete", edit: "Edit", close: "Close",
      confirm_delete: "Delete this?", confirm_delete_page: "Delete this page and all its questions?",
      hidden_prefix: "Hidden: ", no_earlier: "No earlier question to refer to yet", empty_page: "No questions on this page yet: add one from the left.",
      preview: "Phone preview", read_only: "Read only: you cannot edit this survey.", invalid_key: "Use lower-case letters, digits and underscores, starting with a letter",
      complex: "Complex condition (kept as it is)",
      group: "Group", add_group: "Add a group", add_to_group: "Add to this group", remove_group: "Delete the group",
      insert_answer: "Insert an answer…", insert_help: "Insert an earlier answer or a hidden field at the cursor",
      types: {single_choice: "Single choice", multiple_choice: "Multiple choice", dropdown: "Dropdown", nps: "NPS 0–10",
              rating: "Rating / CSAT", ces: "Effort (CES)", matrix: "Matrix / Likert", ranking: "Ranking",
              text: "Text", number: "Number", date: "Date", contact: "Contact details"}
    }
  };
  var lang = String(document.documentElement.lang || "zh").indexOf("zh") === 0 ? "zh_CN" : "en";
  window.TJD = window.TJD || {};
  window.TJD.lang = lang;
  window.TJD.t = function (key, values) {
    var s = STRINGS[lang][key] || STRINGS.en[key] || key;
    Object.keys(values || {}).forEach(function (k) { s = s.replace("{" + k + "}", values[k]); });
    return s;
  };
  window.TJD.typeLabel = function (type) { return STRINGS[lang].types[type] || type; };
})();
