"""Interface strings of the catalogue pages: Chinese first, English available."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "home": {"zh": "首页", "en": "Home"},
    "sections": {"zh": "栏目", "en": "Sections"},
    "entries_count": {"zh": "{n} 条", "en": "{n} entries"},
    "featured": {"zh": "推荐", "en": "Featured"},
    "newest": {"zh": "最新上线", "en": "Newest"},
    "totals": {"zh": "资源总览", "en": "The catalogue in numbers"},
    "browse": {"zh": "分类浏览", "en": "Browse"},
    "all_entries": {"zh": "全部内容", "en": "All entries"},
    "by_subject": {"zh": "按主题浏览", "en": "By subject"},
    "page_n": {"zh": "第 {n} 页", "en": "Page {n}"},
    "pagination": {"zh": "分页", "en": "Pages"},
    "previous_page": {"zh": "上一页", "en": "Previous"},
    "next_page": {"zh": "下一页", "en": "Next"},
    "showing": {"zh": "共 {total} 条，第 {first}–{last} 条", "en": "{first}–{last} of {total}"},
    "empty_listing": {"zh": "这里暂时还没有内容。", "en": "Nothing here yet."},
    "breadcrumbs": {"zh": "当前位置", "en": "You are here"},
    "details": {"zh": "基本信息", "en": "Details"},
    "minutes": {"zh": "{n} 分钟", "en": "{n} min"},
    "pages_count": {"zh": "{n} 页", "en": "{n} pages"},
    "watch_video": {"zh": "观看视频", "en": "Watch the video"},
    "listen_audio": {"zh": "收听音频", "en": "Listen"},
    "external_link": {"zh": "（外部网站，需要联网）", "en": "(external site, needs the internet)"},
    "downloads": {"zh": "下载与阅读", "en": "Read and download"},
    "materials": {"zh": "学习资料", "en": "Materials"},
    "speakers": {"zh": "主讲嘉宾", "en": "Speakers"},
    "time": {"zh": "时间", "en": "Time"},
    "your_time": {"zh": "您所在时区", "en": "your time zone"},
    "upcoming": {"zh": "即将开始", "en": "Upcoming"},
    "live_now": {"zh": "正在直播", "en": "Live now"},
    "past": {"zh": "已结束", "en": "Ended"},
    "watch_live": {"zh": "进入直播间", "en": "Join the livestream"},
    "watch_replay": {"zh": "观看回放", "en": "Watch the replay"},
    "series": {"zh": "所属系列", "en": "Series"},
    "series_members": {"zh": "本系列内容", "en": "In this series"},
    "series_position": {"zh": "第 {n} / {total} 讲", "en": "{n} of {total}"},
    "previous_in_series": {"zh": "上一讲", "en": "Previous"},
    "next_in_series": {"zh": "下一讲", "en": "Next"},
    "related": {"zh": "相关推荐", "en": "Related"},
    "scan_to_learn": {"zh": "扫码学习", "en": "Scan to learn"},
    "short_code": {"zh": "编号", "en": "Code"},
    "qr_alt": {"zh": "本页二维码：{url}", "en": "QR code for this page: {url}"},
    "people": {"zh": "主讲人与作者", "en": "Teachers, speakers and authors"},
    "series_index": {"zh": "系列与频道", "en": "Series"},
    "members": {"zh": "{n} 讲", "en": "{n} parts"},
    "all_members": {"zh": "查看全部 {n} 讲", "en": "All {n} parts"},
    "subtopics": {"zh": "细分主题", "en": "Subtopics"},
}


def translate(key: str, lang: str, **values: object) -> str:
    text = STRINGS[key].get(lang) or STRINGS[key]["zh"]
    return text.format(**values) if values else text
