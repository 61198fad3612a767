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
    "live_now": {"zh": "正在直播", "en": "Live now"},
    "past": {"zh": "已结束", "en": "Ended"},
    "watch_live": {"zh": "进入直播间", "en": "Join the livestream"},
    "watch_replay": {"zh": "观看回放", "en": "Watch the replay"},
    # Times people read (lifelong.site.render.beijing_time; when.js adds what only the
    # reader's device knows), the schedule page (schedule.html), read-aloud (readaloud.js)
    "beijing_time": {"zh": "北京时间 {time}", "en": "Beijing time, {time}"},
    "local_time": {"zh": "您当地时间：{time}", "en": "Your time: {time}"},
    "weekdays": {"zh": "周一 周二 周三 周四 周五 周六 周日", "en": "Mon Tue Wed Thu Fri Sat Sun"},
    "months": {"zh": "1月 2月 3月 4月 5月 6月 7月 8月 9月 10月 11月 12月",
               "en": "January February March April May June July August September October "
                     "November December"},
    "day_periods": {"zh": "凌晨 上午 中午 下午 晚上", "en": "am am pm pm pm"},
    "when_today": {"zh": "今天", "en": "Today"},
    "when_tomorrow": {"zh": "明天", "en": "Tomorrow"},
    "when_days": {"zh": "还有{n}天", "en": "In {n} days"},
    "when_on": {"zh": "正在进行", "en": "On now"},
    "people_initials": {"zh": "按拼音首字母", "en": "By initial"},
    "moved": {"zh": "此页的地址已更改，请前往：", "en": "This page has moved to:"},
    "schedule": {"zh": "本周讲座与直播", "en": "This week's lectures and livestreams"},
    "schedule_intro": {"zh": "时间均为北京时间。今天的排在最前面，然后是本周和以后几周的；"
                             "已结束的收在最后。",
                       "en": "Times are Beijing time. Today's come first, then the rest of this "
                             "week and the weeks after; ended ones are folded away at the end."},
    "schedule_week": {"zh": "本周", "en": "This week"},
    "schedule_next_week": {"zh": "下周", "en": "Next week"},
    "schedule_later": {"zh": "以后", "en": "Later"},
    "schedule_all": {"zh": "讲座与直播（按开始时间）",
                     "en": "Lectures and livestreams, by start time"},
    "schedule_years": {"zh": "按年份查看全部讲座与直播",
                       "en": "Every lecture and livestream, by year"},
    "schedule_year": {"zh": "{year}年的讲座与直播", "en": "Lectures and livestreams in {year}"},
    "schedule_year_link": {"zh": "{year}年（{n}场）", "en": "{year} ({n})"},
    "schedule_none": {"zh": "近期没有安排讲座和直播。",
                      "en": "No lectures or livestreams are coming up."},
    "read_aloud": {"zh": "朗读本页", "en": "Read aloud"},
    "read_pause": {"zh": "暂停朗读", "en": "Pause"},
    "read_resume": {"zh": "继续朗读", "en": "Resume"},
    "read_stop": {"zh": "停止朗读", "en": "Stop"},
    "read_no_voice": {"zh": "这台设备没有中文朗读语音。",
                      "en": "This device has no voice to read this page."},
    "series": {"zh": "所属系列", "en": "Series"},
    "series_members": {"zh": "本系列内容", "en": "In this series"},
    "series_position": {"zh": "第 {n} / {total} 讲", "en": "{n} of {total}"},
    "previous_in_series": {"zh": "上一讲", "en": "Previous"},
    "next_in_series": {"zh": "下一讲", "en": "Next"},
    "related": {"zh": "相关推荐", "en": "Related"},
    "scan_to_learn": {"zh": "扫码学习", "en": "Scan to learn"},
    "short_code": {"zh": "编号", "en": "Code"},
    "qr_alt": {"zh": "本页二维码：{url}", "en": "QR code for this page: {url}"},
    # The print kit: posters, table cards, the schedule sheet (lifelong/macros.html, print.js)
    "print_poster": {"zh": "打印海报", "en": "Print a poster"},
    "print_cards": {"zh": "打印桌卡", "en": "Print table cards"},
    "print_schedule": {"zh": "打印本周安排", "en": "Print this week's schedule"},
    "poster_scan": {"zh": "用手机扫一扫二维码", "en": "Scan the QR code with your phone"},
    "poster_type": {"zh": "或在网站首页输入编号", "en": "or type the code on the site's home page"},
    "poster_more": {"zh": "更多内容", "en": "Also here"},
    "card_scan": {"zh": "扫码学习，或输入编号", "en": "Scan, or type the code"},
    "schedule_scan": {"zh": "扫码查看最新安排", "en": "Scan for the latest schedule"},
    "people": {"zh": "主讲人与作者", "en": "Teachers, speakers and authors"},
    "series_index": {"zh": "系列与频道", "en": "Series"},
    "members": {"zh": "{n} 讲", "en": "{n} parts"},
    "all_members": {"zh": "查看全部 {n} 讲", "en": "All {n} parts"},
    "subtopics": {"zh": "细分主题", "en": "Subtopics"},
    "search": {"zh": "搜索", "en": "Search"},
    "not_in_copy": {"zh": "不在此副本中", "en": "Not in this copy"},
    "not_in_copy_text": {"zh": "此条目不在这份离线副本中。联网后可以访问它的在线地址，"
                                "或用手机扫描二维码：",
                         "en": "This entry is not in this offline copy. With the internet, "
                               "open its online address or scan the QR code:"},
    "file_not_in_copy": {"zh": "（未包含在离线副本中，联网访问）",
                         "en": "(not in this offline copy; online)"},
    "catalogue_version": {"zh": "目录版本 {version}，更新至 {date}",
                          "en": "Catalogue version {version}, up to {date}"},
    "may_be_outdated": {"zh": "这是离线副本，此后的更新不包含在内。",
                        "en": "This is an offline copy: later changes are not in it."},
    "search_placeholder": {"zh": "搜索课程、图书、讲座、人物…",
                           "en": "Search courses, books, lectures, people…"},
    "search_button": {"zh": "搜索", "en": "Search"},
    "search_results": {"zh": "搜索结果", "en": "Search results"},
    "search_noscript": {"zh": "搜索需要浏览器启用 JavaScript。您也可以按栏目或主题浏览：",
                        "en": "Search needs JavaScript. You can also browse by section or "
                              "subject:"},
    "sort": {"zh": "排序", "en": "Sort"},
    "sort_relevance": {"zh": "相关度", "en": "Relevance"},
    "sort_newest": {"zh": "最新", "en": "Newest"},
    "sort_title": {"zh": "标题", "en": "Title"},
    "found": {"zh": "找到 {n} 条结果", "en": "{n} results"},
    "found_one": {"zh": "找到 1 条结果", "en": "1 result"},
    "no_results": {"zh": "没有找到“{q}”的结果。试试更短的词、拼音或首字母，或按栏目浏览：",
                   "en": "Nothing found for “{q}”. Try a shorter word, or browse the sections:"},
    "type_to_search": {"zh": "输入关键词开始搜索", "en": "Type to search"},
    "show_all": {"zh": "查看全部 {n} 条结果", "en": "See all {n} results"},
    # The header box when it found its first results without counting them all.
    "show_all_many": {"zh": "查看全部结果", "en": "See all results"},
    "more_results": {"zh": "显示更多", "en": "Show more"},
    "loading": {"zh": "正在搜索…", "en": "Searching…"},
    "filters": {"zh": "筛选", "en": "Filters"},
    "clear_filters": {"zh": "清除筛选", "en": "Clear filters"},
    "facet_kind": {"zh": "类型", "en": "Kind"},
    "facet_section": {"zh": "栏目", "en": "Section"},
    "facet_subject": {"zh": "主题", "en": "Subject"},
    "facet_audience": {"zh": "适合人群", "en": "Audience"},
    "facet_language": {"zh": "语言", "en": "Language"},
    "facet_format": {"zh": "形式", "en": "Format"},
    "facet_level": {"zh": "难度", "en": "Level"},
    "facet_duration": {"zh": "时长（分钟）", "en": "Duration (minutes)"},
    "facet_year": {"zh": "年份", "en": "Year"},
    "facet_mark": {"zh": "评选荣誉", "en": "Selections"},  # by standard (standards.yml)
    "year_from": {"zh": "从", "en": "From"},
    "year_to": {"zh": "到", "en": "To"},
    # The search page for older learners: the easy filters (lifelong.search.index.EASY), the
    # filters folded under a button on a phone, listings by filter without a query
    "facet_easy": {"zh": "长辈友好", "en": "Easy for older learners"},
    "easy_heading": {"zh": "适合长辈的内容", "en": "Suited to older learners"},
    "easy_short": {"zh": "10分钟以内", "en": "10 minutes or less"},
    "easy_dialect": {"zh": "方言", "en": "Dialect"},
    "filters_count": {"zh": "筛选（{n}）", "en": "Filters ({n})"},
    "show_results": {"zh": "查看 {n} 条结果", "en": "Show {n} results"},
    "no_filtered_results": {"zh": "没有符合这些筛选条件的内容。试试去掉一些条件，或按栏目浏览：",
                            "en": "Nothing matches these filters. Try removing some, or browse "
                                  "the sections:"},
    # The OPDS catalogue of the e-books (lifelong.site.opds)
    "opds_link": {"zh": "电子书目录（OPDS）", "en": "E-book catalogue (OPDS)"},
    "opds_title": {"zh": "{site}：电子书", "en": "{site}: e-books"},
    "opds_all": {"zh": "全部电子书", "en": "All e-books"},
    "opds_new": {"zh": "新书上架", "en": "New e-books"},
    "opds_featured": {"zh": "推荐电子书", "en": "Featured e-books"},
    "opds_subjects": {"zh": "按主题浏览电子书", "en": "E-books by subject"},
    "opds_subjects_text": {"zh": "{n} 个主题", "en": "{n} subjects"},
    "opds_subject": {"zh": "主题：{name}", "en": "Subject: {name}"},
    "opds_language": {"zh": "语言：{name}", "en": "Language: {name}"},
    "opds_author": {"zh": "作者：{name}", "en": "By {name}"},
    "opds_series": {"zh": "系列：{name}", "en": "Series: {name}"},
    "opds_books": {"zh": "{n} 本电子书", "en": "{n} e-books"},
    "opds_facet_all": {"zh": "全部", "en": "All"},
    # The header's display modes (partials/header.html, via lifelong.mkdocs.theme.THEME_STRINGS)
    "display_modes": {"zh": "显示方式", "en": "Display"},
    "care_mode": {"zh": "长辈模式", "en": "Large text"},
    "high_contrast": {"zh": "高对比度", "en": "High contrast"},
    # Feeds and calendars (lifelong.site.feeds, lifelong.site.calendar)
    "feed_title": {"zh": "{site}：{topic}", "en": "{site}: {topic}"},
    "feed_description": {"zh": "“{topic}”最新上线的内容（最多 {n} 条）",
                         "en": "The newest entries of “{topic}” (up to {n})"},
    "calendar_upcoming": {"zh": "{site}：即将开始的讲座", "en": "{site}: upcoming lectures"},
    "calendar_link": {"zh": "{name}（日历）", "en": "{name} (calendar)"},
    # What pages show of them (lifelong.site.head, the follow_links macro)
    "subscribe": {"zh": "订阅", "en": "Subscribe"},
    "add_to_calendar": {"zh": "添加到日历", "en": "Add to calendar"},
    # 我的学习: favourites and history kept on the device (lifelong/mine.html, the keep
    # macro, mine.js; "mine" also in the footer, via lifelong.mkdocs.theme.THEME_STRINGS)
    "mine": {"zh": "我的学习", "en": "My learning"},
    "keep": {"zh": "收藏", "en": "Save"},
    "kept": {"zh": "已收藏", "en": "Saved"},
    "mine_intro": {"zh": "您收藏的内容和最近看过的内容只保存在这台设备的浏览器里：不用登录，"
                         "也不会发送到任何地方。换一台设备、换一个浏览器，或者清除浏览器数据以后，"
                         "就看不到了。",
                   "en": "What you save and what you viewed recently are kept only in this "
                         "browser on this device: no account, and nothing is sent anywhere. "
                         "Another device or browser, or clearing the browser's data, will not "
                         "have them."},
    "mine_noscript": {"zh": "“我的学习”需要浏览器启用 JavaScript，才能显示这台设备上保存的"
                            "收藏和最近看过的内容。",
                      "en": "My learning needs JavaScript to show what is kept on this "
                            "device."},
    "mine_no_storage": {"zh": "这个浏览器不允许在设备上保存内容，收藏和最近看过的记录无法保留。",
                        "en": "This browser does not let pages keep anything on the device: "
                              "saved entries and history cannot be kept."},
    "mine_favourites": {"zh": "我的收藏", "en": "Saved"},
    "mine_history": {"zh": "最近看过", "en": "Recently viewed"},
    "mine_no_favourites": {"zh": "还没有收藏。在内容页点“收藏”，它就会出现在这里。",
                           "en": "Nothing saved yet. Press “Save” on an entry's page and it "
                                 "appears here."},
    "mine_no_history": {"zh": "还没有看过的内容。打开一门课程、一本书或一场讲座，"
                               "它就会出现在这里。",
                        "en": "Nothing viewed yet. Open a course, a book or a lecture and it "
                              "appears here."},
    "mine_remove": {"zh": "取消收藏", "en": "Remove"},
    "mine_removed": {"zh": "已取消收藏：", "en": "Removed: "},
    "mine_clear_favourites": {"zh": "清空收藏", "en": "Clear saved"},
    "mine_clear_history": {"zh": "清空记录", "en": "Clear history"},
    "mine_confirm_favourites": {"zh": "确定要清空全部收藏吗？",
                                "en": "Clear everything you saved?"},
    "mine_confirm_history": {"zh": "确定要清空最近看过的记录吗？",
                             "en": "Clear the history of what you viewed?"},
    "mine_confirm": {"zh": "确定清空", "en": "Yes, clear"},
    "mine_cancel": {"zh": "取消", "en": "Cancel"},
    "mine_cleared": {"zh": "已清空。", "en": "Cleared."},
    # The page an address that leads nowhere shows (theme/404.html, via THEME_STRINGS)
    "not_found_title": {"zh": "找不到这个页面", "en": "Page not found"},
    "not_found_text": {"zh": "这个网址没有对应的页面：可能是网址输错了，或者页面已经移走。"
                             "您可以搜索想找的内容，或者回到首页。",
                       "en": "There is no page at this address: it may be mistyped, or the "
                             "page has moved. Search for what you are looking for, or go back "
                             "to the home page."},
    "not_found_search": {"zh": "搜索全部内容", "en": "Search the catalogue"},
    "back_home": {"zh": "返回首页", "en": "Back to the home page"},
    # The "输入编号" box (partials/lifelong-code.html: home, 404, header; codes.js) and the
    # code under an entry's QR code
    "code_box": {"zh": "输入编号", "en": "Enter a code"},
    "code_hint": {"zh": "海报上二维码下方的 6 位数字",
                  "en": "The 6 digits under the QR code on a poster"},
    "code_open": {"zh": "打开", "en": "Open"},
    "code_not_found": {"zh": "没有找到编号 {code} 的内容", "en": "Nothing has the code {code}"},
    "code_bad": {"zh": "编号是 6 位数字，请检查：{code}",
                 "en": "A code has 6 digits; check: {code}"},
    # The offline copy: what needs the internet (cards, entry pages) and the search page's
    # filter of what does not (only in offline builds' search/meta.js)
    "needs_internet": {"zh": "需要联网", "en": "Needs the internet"},
    "works_offline": {"zh": "可离线使用", "en": "Works offline"},
    "facet_offline": {"zh": "离线", "en": "Offline"},
    # The widened content model (issue 18): long courses, periods, contributors, licences
    "hours": {"zh": "{n} 小时", "en": "{n} hours"},
    "weeks_count": {"zh": "{n} 周", "en": "{n} weeks"},
    "volumes_count": {"zh": "{n} 册", "en": "{n} volumes"},
    # A period (lifelong.site.render.period_text): a year, a year BCE, a range, a dynasty
    "year_bce": {"zh": "公元前{n}年", "en": "{n} BCE"},
    "years_bce": {"zh": "公元前{start}–前{end}年", "en": "{start}–{end} BCE"},
    "years_across": {"zh": "公元前{start}年–公元{end}年", "en": "{start} BCE – {end} CE"},
    "dynasty_years": {"zh": "{dynasty}（{years}）", "en": "{dynasty} ({years})"},
    "contributed_as": {"zh": "参与方式", "en": "Contributed as"},
    # The statistics page and its map of the provinces (issue 22: lifelong.site.charts,
    # lifelong.site.provmap, lifelong/statistics.html; linked from the home page)
    "statistics": {"zh": "数据统计", "en": "Statistics"},
    "stats_link": {"zh": "看图了解本目录：数据统计与地图",
                   "en": "The catalogue in charts and on a map"},
    "stats_intro": {"zh": "本目录共有 {n} 条内容。下面用地图和图表展示它们的分布，"
                          "每张图的数字都列在图下的表格里。",
                    "en": "The catalogue holds {n} entries. The map and charts below show "
                          "how they are spread; each one's numbers are in a table under it."},
    "stats_numbers": {"zh": "查看数字表格", "en": "The numbers in a table"},
    "stats_none": {"zh": "暂无数据。", "en": "Nothing to show yet."},
    "stats_count": {"zh": "数量", "en": "Number"},
    "stats_total": {"zh": "合计", "en": "Total"},
    "stats_kinds": {"zh": "各类内容的数量", "en": "Entries by kind"},
    "stats_kind": {"zh": "类型", "en": "Kind"},
    "stats_sections": {"zh": "各栏目的内容数量", "en": "Entries by section"},
    "stats_subjects": {"zh": "各主题的内容数量", "en": "Entries by subject"},
    "stats_subject": {"zh": "主题", "en": "Subject"},
    "stats_months": {"zh": "每月新增内容", "en": "New entries per month"},
    "stats_months_last": {"zh": "每月新增内容（最近 {n} 个月）",
                          "en": "New entries per month (the last {n} months)"},
    "stats_month": {"zh": "月份", "en": "Month"},
    "stats_new": {"zh": "新增", "en": "New"},
    "stats_most": {"zh": "最多 {n}", "en": "Most: {n}"},
    "stats_marks": {"zh": "各年度评选入选数量", "en": "Selections by year"},
    "stats_year": {"zh": "年度", "en": "Year"},
    "stats_year_n": {"zh": "{year}年", "en": "{year}"},
    "map_title": {"zh": "各省份的学习中心、师资和学习资源",
                  "en": "Centres, teachers and learning resources by province"},
    "map_desc": {"zh": "每个方块代表一个省级行政区，按大致地理位置排列，不表示边界和面积。"
                       "颜色越深，数量越多；点击方块查看该地区的内容，准确数字见下表。",
                 "en": "Each square is a province-level division, placed roughly where it "
                       "lies; squares show no borders or areas. The darker, the more; a square "
                       "leads to its region's page, and the table below gives the numbers."},
    "map_desc_outline": {"zh": "颜色越深，数量越多；点击省份查看该地区的内容，准确数字见下表。",
                         "en": "The darker, the more; a province leads to its region's page, "
                               "and the table below gives the numbers."},
    "map_show": {"zh": "地图显示", "en": "Show on the map"},
    "map_key": {"zh": "图例", "en": "Key"},
    "map_centres": {"zh": "学习中心", "en": "Learning centres"},
    "map_teachers": {"zh": "师资", "en": "Teachers"},
    "map_entries": {"zh": "学习资源", "en": "Learning resources"},
    "map_province": {"zh": "省份", "en": "Province"},
    "map_no_data": {"zh": "暂无数据", "en": "No data"},
    "map_licence": {"zh": "地图：{licence}", "en": "Map: {licence}"},
    "map_none": {"zh": "目录中的内容还没有标注地区。", "en": "No entry names its region yet."},
    "colon": {"zh": "：", "en": ": "},
    "list_comma": {"zh": "，", "en": ", "},
    "stop": {"zh": "。", "en": "."},
    # Teachers, centres, activities, marks (issue 22): profiles, directories, listings
    "teachers_index": {"zh": "师资与志愿者库", "en": "Teachers and volunteers"},
    "centres_index": {"zh": "学习中心", "en": "Learning centres"},
    "marks_index": {"zh": "评选荣誉", "en": "Selections"},
    "teacher_directory_intro": {"zh": "共 {n} 位社区教育教师、志愿者和专家，按地区和身份查找。",
                                "en": "{n} community education teachers, volunteers and "
                                      "experts, by region and by role."},
    "centre_directory_intro": {"zh": "共 {n} 个社区教育指导服务中心、老年大学、学习点和图书馆，"
                                     "按地区和类型查找。",
                               "en": "{n} community education centres, universities for older "
                                     "adults, learning points and libraries, by region and "
                                     "by type."},
    "by_vocabulary": {"zh": "按{name}", "en": "By {name}"},
    "marks_intro": {"zh": "各项评选按统一标准选出的优秀课程与项目。每项评选都写明了评选单位和"
                          "评选标准。",
                    "en": "Courses and projects chosen by common selection standards. Each "
                          "standard says who selects and by which criteria."},
    "mark_badge": {"zh": "{year} {standard}", "en": "{standard} {year}"},
    "awarded_by": {"zh": "评选单位：{name}", "en": "Awarded by {name}"},
    "mark_score": {"zh": "评分 {score}", "en": "Score {score}"},
    "criteria": {"zh": "评选标准", "en": "Criteria"},
    "criterion_checked": {"zh": "（目录自动核对）", "en": "(checked by the catalogue)"},
    "mark_years": {"zh": "按年度查看", "en": "By year"},
    "all_years": {"zh": "历年全部", "en": "All years"},
    "all_of": {"zh": "{name}参与的全部内容", "en": "Everything {name} is on"},
    "held_here": {"zh": "在这里举办的活动与讲座", "en": "Activities and lectures held here"},
    "upcoming": {"zh": "即将举行", "en": "Coming up"},
    "no_upcoming": {"zh": "近期没有安排。", "en": "Nothing planned soon."},
    "events_shown": {"zh": "共 {total} 场，这里列出时间最近的 {n} 场。",
                     "en": "{n} of {total}, those nearest in time."},
    "yes": {"zh": "是", "en": "Yes"},
    "no": {"zh": "否", "en": "No"},
    "coordinates": {"zh": "{ns} {lat}°，{ew} {lon}°", "en": "{lat}° {ns}, {lon}° {ew}"},
    "north": {"zh": "北纬", "en": "N"},
    "south": {"zh": "南纬", "en": "S"},
    "east": {"zh": "东经", "en": "E"},
    "west": {"zh": "西经", "en": "W"},
}

#: Strings the search script shows (sent to the browser in search/meta.js).
SEARCH_STRINGS: tuple[str, ...] = ("found", "found_one", "no_results", "type_to_search", "show_all",
                  "more_results", "loading", "clear_filters", "facet_kind", "facet_section",
                  "facet_subject", "facet_audience", "facet_language", "facet_format",
                  "facet_level", "facet_duration", "facet_year", "year_from", "year_to",
                  "search_results", "filters", "facet_easy", "easy_short", "easy_dialect",
                  "filters_count", "show_results", "no_filtered_results")
SEARCH_STRINGS += ("facet_mark",)  # issue 22: the facet of marks
SEARCH_STRINGS += ("show_all_many",)  # issue 23: header box results from postings' heads

#: The offline copy's filter (search/meta.js of offline builds only).
OFFLINE_STRINGS = ("facet_offline", "works_offline")


def translate(key: str, lang: str, **values: object) -> str:
    text = STRINGS[key].get(lang) or STRINGS[key]["zh"]
    return text.format(**values) if values else text
