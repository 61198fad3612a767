"""A deterministic synthetic catalogue for benchmarks and scale tests.

``write_sample(out, 90_000, catalogue_dir=...)`` writes ``out/content/`` with entries of every
kind in the proportions of the real catalogue (mostly micro-courses, then e-books, lectures,
series, Learning Stars and Brand Projects), Chinese titles, summaries and descriptions built
from word lists per subject, and copies the catalogue rules to ``out/catalogue/``. Every entry
is valid against those rules, nothing points at a local file, and the same arguments always
give byte-identical files: the only source of chance is ``random.Random(seed)``, and nothing
depends on the clock, the machine or hash order.

Vocabulary terms are taken from ``catalogue_dir`` (so a renamed region or level still gives a
valid catalogue), and only the fields that ``fields.yml`` declares for a kind are written. The
``featured`` ids in the copied ``sections.yml`` name entries of the real catalogue, which the
sample does not have: the copy features sample entries of each section instead.

Run it with ``lifelong sample --entries N --out DIR``.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
import shutil
from collections import deque
from collections.abc import Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, cast

import yaml

from lifelong.catalogue.schema import Rules, load_rules

__all__ = ["KIND_DIRS", "LECTURE_HALL", "kind_counts", "write_sample"]

#: The kinds the generator writes (each into its folder from fields.yml).
KIND_DIRS = {"course": "courses", "ebook": "reading", "lecture": "lectures",
             "series": "series", "star": "stars", "project": "projects"}
#: Share of each kind in the real catalogue (about 80,000 courses and 10,000 e-books).
SHARES = {"course": 0.88, "ebook": 0.10, "lecture": 0.012, "series": 0.004, "star": 0.002,
          "project": 0.002}
#: Which kinds come first when there are fewer entries than kinds (a lecture needs a series).
PRIORITY = ("course", "ebook", "series", "lecture", "star", "project")
#: Short id prefixes: ids appear in every URL (c000123, b000045, ...).
ID_PREFIX = {"course": "c", "ebook": "b", "lecture": "l", "series": "s", "star": "st",
             "project": "pj"}
#: The series of the "lecture-hall" section (catalogue/sections.yml); always generated.
LECTURE_HALL = "community-lecture-hall"

FIRST_DAY = dt.date(2015, 1, 1)
LAST_DAY = dt.date(2026, 6, 30)
_FIRST, _LAST = FIRST_DAY.toordinal(), LAST_DAY.toordinal()


def kind_counts(entries: int) -> dict[str, int]:
    """How many entries of each kind ``entries`` gives: every kind at least once from 6 on."""
    if entries < 0:
        raise ValueError(f"entries must be 0 or more, not {entries}")
    if entries < len(PRIORITY):
        chosen = PRIORITY[:entries]
        return {kind: int(kind in chosen) for kind in KIND_DIRS}
    counts = {kind: max(1, round(entries * share)) for kind, share in SHARES.items()
              if kind != "course"}
    return {"course": entries - sum(counts.values()), **counts}


# --- word lists --------------------------------------------------------------------------
# Topics per subject (leaf term): "中文 | English". Titles combine a topic with a pattern.

_TOPICS_TEXT = {
    "popular-science": """
        宇宙与星空 | The universe and the night sky
        身边的物理现象 | Physics in everyday life
        天气与气候 | Weather and climate
        地震知识与避险 | Earthquakes and staying safe
        人体的奥秘 | How the human body works
        家庭用电安全 | Electrical safety at home
        食物里的化学 | The chemistry of food
        中国航天 | China's space programme
        生活中的光与色 | Light and colour around us
        科学辟谣 | Debunking science rumours
        """,
    "ai": """
        认识人工智能 | Understanding artificial intelligence
        用语音助手办事 | Getting things done with a voice assistant
        人工智能绘画体验 | Trying AI image generation
        智能问答工具的使用 | Using AI chat assistants
        识别“AI换脸”诈骗 | Spotting deepfake scams
        智能家居 | Smart homes
        人工智能与就业 | AI and jobs
        机器人走进生活 | Robots in daily life
        算法推荐是怎么回事 | How recommendation algorithms work
        """,
    "environment": """
        垃圾分类 | Sorting household waste
        节约用水 | Saving water
        低碳生活 | Low-carbon living
        认识身边的鸟类 | Birds in our neighbourhood
        社区绿化 | Greening the community
        空气质量与健康 | Air quality and health
        旧物改造 | Upcycling old things
        湿地保护 | Protecting wetlands
        节能家电选购 | Choosing energy-efficient appliances
        """,
    "agriculture": """
        果树修剪 | Pruning fruit trees
        大棚蔬菜种植 | Growing vegetables in greenhouses
        科学施肥 | Using fertiliser wisely
        病虫害绿色防控 | Green pest control
        家庭养鸡 | Keeping chickens
        茶叶种植与加工 | Growing and processing tea
        农产品网上销售 | Selling farm produce online
        节水灌溉 | Water-saving irrigation
        食用菌栽培 | Growing edible mushrooms
        """,
    "smartphone": """
        智能手机基本设置 | Setting up a smartphone
        微信视频通话 | Video calls on WeChat
        手机拍照 | Taking photos with a phone
        调大手机字体和音量 | Bigger text and louder sound on your phone
        用手机预约挂号 | Booking a hospital appointment by phone
        手机支付 | Paying by phone
        网上购物 | Shopping online
        手机打车 | Hailing a taxi with a phone
        手机地图导航 | Finding your way with phone maps
        清理手机内存 | Freeing up phone storage
        短视频拍摄与剪辑 | Shooting and editing short videos
        """,
    "online-safety": """
        识别电信诈骗 | Recognising phone scams
        防范保健品骗局 | Avoiding health-product scams
        警惕虚假投资理财 | Fake investment schemes
        保护个人信息 | Protecting personal information
        设置安全密码 | Setting safe passwords
        识别钓鱼链接 | Spotting phishing links
        防范冒充公检法诈骗 | Scams by fake police and officials
        识别网络谣言 | Spotting online rumours
        预防青少年网络沉迷 | Preventing internet addiction in young people
        养老诈骗的常见套路 | Common pension scams
        """,
    "online-services": """
        网上办理社保 | Social insurance services online
        医保电子凭证 | The electronic medical insurance card
        网上缴纳水电费 | Paying utility bills online
        政务服务平台 | Using government service platforms
        网上预约办事 | Booking appointments online
        个人所得税申报 | Filing individual income tax
        电子社保卡 | The electronic social security card
        网上查询养老金 | Checking your pension online
        数字图书馆借阅 | Borrowing from digital libraries
        """,
    "personal-finance": """
        家庭记账 | Keeping household accounts
        储蓄与理财基础 | Savings and investment basics
        认识银行理财产品 | Understanding bank wealth products
        养老规划 | Planning for retirement
        保险常识 | Insurance basics
        防范非法集资 | Avoiding illegal fund-raising
        看懂基金 | Understanding funds
        家庭消费与预算 | Household spending and budgets
        """,
    "entrepreneurship": """
        小微企业创办 | Starting a small business
        求职简历与面试 | CVs and job interviews
        直播带货 | Selling through livestreams
        劳动合同常识 | Employment contracts
        职业技能提升 | Improving job skills
        退役军人就业创业 | Jobs and business for veterans
        返乡创业 | Starting a business back home
        家政服务技能 | Home-care service skills
        """,
    "rural-economy": """
        乡村旅游开发 | Developing rural tourism
        农村电商 | Rural e-commerce
        特色农产品品牌 | Branding local farm produce
        农民专业合作社 | Farmers' cooperatives
        美丽乡村建设 | Building beautiful villages
        乡村民宿经营 | Running a rural guesthouse
        土地流转政策 | Land transfer policy
        乡村治理 | Village governance
        """,
    "intangible-heritage": """
        剪纸 | Paper cutting
        皮影戏 | Shadow puppetry
        刺绣 | Embroidery
        扎染 | Tie-dyeing
        中国结编织 | Chinese knot tying
        泥塑 | Clay figurines
        木版年画 | Woodblock New Year prints
        风筝制作 | Kite making
        蜡染 | Batik
        传统木作 | Traditional woodworking
        糖画 | Sugar painting
        """,
    "classics": """
        《论语》选读 | Selected readings from the Analects
        唐诗赏析 | Appreciating Tang poetry
        宋词精读 | Close reading of Song ci poetry
        《三字经》诵读 | Reciting the Three-Character Classic
        《道德经》导读 | An introduction to the Tao Te Ching
        古文观止选讲 | Selections from the Guwen Guanzhi
        诗经里的草木 | Plants in the Book of Songs
        家训家风 | Family instructions and values
        《红楼梦》人物 | Characters of Dream of the Red Chamber
        """,
    "local-culture": """
        地方方言 | Local dialects
        古镇古村 | Ancient towns and villages
        地方名人 | Local notable figures
        老字号的故事 | Stories of time-honoured brands
        地方戏曲 | Local opera
        传统民居 | Traditional houses
        地方美食文化 | Local food culture
        城市记忆 | City memories
        """,
    "traditional-festivals": """
        春节习俗 | Spring Festival customs
        元宵灯会 | The Lantern Festival
        清明节的由来 | Origins of the Qingming Festival
        端午节与粽子 | The Dragon Boat Festival and zongzi
        七夕传说 | The Qixi legend
        中秋赏月 | Mid-Autumn moon viewing
        重阳敬老 | Double Ninth and respect for elders
        二十四节气 | The 24 solar terms
        腊八节 | The Laba Festival
        """,
    "chinese-history": """
        丝绸之路 | The Silk Road
        秦汉统一 | Unification under the Qin and Han
        唐代长安 | Chang'an under the Tang
        宋代的城市生活 | City life in the Song dynasty
        郑和下西洋 | Zheng He's voyages
        中国古代科技 | Science in ancient China
        红色故事 | Stories of the revolution
        改革开放历程 | Reform and opening up
        大运河的历史 | History of the Grand Canal
        """,
    "world-history": """
        古埃及文明 | Ancient Egypt
        古希腊与罗马 | Ancient Greece and Rome
        文艺复兴 | The Renaissance
        工业革命 | The Industrial Revolution
        大航海时代 | The Age of Discovery
        世界遗产 | World Heritage sites
        两次世界大战 | The two World Wars
        丝路上的文明交流 | Exchange along the Silk Roads
        """,
    "calligraphy": """
        楷书 | Regular script
        行书笔法 | Running-script brushwork
        隶书 | Clerical script
        毛笔的选择与保养 | Choosing and caring for brushes
        硬笔书法 | Pen calligraphy
        春联书写 | Writing Spring Festival couplets
        篆刻 | Seal carving
        名家碑帖赏析 | Masterpieces of calligraphy
        """,
    "painting": """
        国画花鸟 | Bird-and-flower painting
        山水画技法 | Landscape painting techniques
        水彩风景 | Watercolour landscapes
        素描基础 | Drawing basics
        工笔画 | Fine-brush painting
        儿童画辅导 | Helping children draw
        油画 | Oil painting
        名画欣赏 | Appreciating great paintings
        """,
    "music": """
        合唱发声 | Choral singing
        葫芦丝演奏 | Playing the hulusi
        二胡 | The erhu
        电子琴 | Electronic keyboard
        民歌欣赏 | Chinese folk songs
        识读简谱 | Reading numbered notation
        古琴艺术 | The guqin
        口琴演奏 | The harmonica
        """,
    "opera": """
        京剧唱腔 | Peking opera singing
        越剧欣赏 | Yue opera
        黄梅戏 | Huangmei opera
        豫剧经典唱段 | Classic arias of Henan opera
        昆曲之美 | The beauty of Kunqu
        戏曲脸谱 | Opera face painting
        粤剧 | Cantonese opera
        戏曲身段 | Opera movement
        """,
    "photography": """
        构图基础 | Composition basics
        人像摄影 | Portrait photography
        风光摄影 | Landscape photography
        手机修图 | Editing photos on a phone
        光线运用 | Working with light
        花卉微距 | Flower close-ups
        旅行摄影 | Travel photography
        老照片数字化 | Digitising old photographs
        """,
    "exercise": """
        二十四式太极拳 | 24-form tai chi
        八段锦 | Baduanjin qigong
        广场舞 | Square dancing
        健步走 | Brisk walking
        老年人防跌倒训练 | Fall-prevention exercises for older adults
        颈椎保健操 | Exercises for a healthy neck
        柔力球 | Rouliqiu soft ball
        居家力量练习 | Strength training at home
        门球 | Gateball
        """,
    "tcm": """
        四季养生 | Wellbeing through the four seasons
        穴位按摩 | Acupressure massage
        药膳食疗 | Medicinal cooking
        中医体质辨识 | TCM body constitutions
        艾灸常识 | Moxibustion basics
        常用中草药 | Common Chinese herbs
        睡眠调养 | Better sleep the TCM way
        冬病夏治 | Treating winter ailments in summer
        """,
    "nutrition": """
        老年人膳食搭配 | Balanced meals for older adults
        控盐减油 | Less salt and oil
        科学补钙 | Getting enough calcium
        读懂食品标签 | Reading food labels
        糖尿病饮食 | Eating well with diabetes
        儿童营养 | Nutrition for children
        食品安全 | Food safety
        科学饮水 | Drinking enough water
        """,
    "chronic-disease": """
        高血压的日常管理 | Living with high blood pressure
        糖尿病自我管理 | Managing diabetes yourself
        骨质疏松防治 | Preventing osteoporosis
        心脑血管疾病预防 | Preventing heart disease and stroke
        认知症早期识别 | Early signs of dementia
        慢阻肺康复 | Living with COPD
        关节炎护理 | Caring for arthritis
        合理用药 | Using medicines safely
        家庭急救 | First aid at home
        """,
    "mental-health": """
        情绪管理 | Managing emotions
        退休后的心理调适 | Adjusting to retirement
        缓解焦虑 | Easing anxiety
        两代人沟通 | Talking across generations
        孤独感与社交 | Loneliness and staying connected
        睡眠与心理 | Sleep and the mind
        压力管理 | Coping with stress
        积极老龄观 | A positive view of ageing
        """,
    "family": """
        隔代教育 | Grandparents raising grandchildren
        家庭阅读 | Reading as a family
        幼儿习惯养成 | Good habits for young children
        青春期沟通 | Talking with teenagers
        家庭安全教育 | Safety at home
        夫妻相处之道 | Getting along as a couple
        家校合作 | Working with your child's school
        家务劳动教育 | Children and housework
        """,
    "cooking": """
        家常菜 | Home-style dishes
        面点制作 | Making buns and dumplings
        低糖烘焙 | Low-sugar baking
        地方小吃 | Local snacks
        节日美食 | Festival food
        快手早餐 | Quick breakfasts
        汤羹炖品 | Soups and stews
        腌制与发酵 | Pickling and fermenting
        """,
    "gardening": """
        阳台种菜 | Growing vegetables on a balcony
        多肉植物养护 | Caring for succulents
        兰花栽培 | Growing orchids
        盆景制作 | Making penjing
        插花艺术 | Flower arranging
        家庭水培 | Hydroponics at home
        月季养护 | Growing roses
        绿植病虫害防治 | Houseplant pests
        """,
    "law": """
        民法典与日常生活 | The Civil Code in daily life
        遗嘱与继承 | Wills and inheritance
        老年人权益保障 | The rights of older people
        消费者权益保护 | Consumer rights
        婚姻家庭法律常识 | Marriage and family law
        劳动者权益 | Workers' rights
        物业纠纷处理 | Disputes with property managers
        交通安全法规 | Road safety rules
        """,
    "travel": """
        老年人出游安全 | Travelling safely in later life
        高铁出行 | Travelling by high-speed rail
        自驾游 | Road trips
        博物馆参观 | Visiting museums
        国家公园 | National parks
        旅行中的文明礼仪 | Good manners when travelling
        出境游准备 | Preparing for trips abroad
        红色旅游 | Red tourism
        """,
    "literature": """
        现代诗歌欣赏 | Modern poetry
        鲁迅作品导读 | Reading Lu Xun
        散文写作 | Writing essays
        外国名著导读 | Great foreign novels
        回忆录写作 | Writing a memoir
        儿童文学 | Children's literature
        小说阅读方法 | How to read a novel
        朗诵艺术 | The art of recitation
        """,
    "foreign-languages": """
        旅游英语 | English for travel
        日常英语口语 | Everyday spoken English
        英语语音 | English pronunciation
        日语 | Japanese
        韩语 | Korean
        俄语 | Russian
        英语阅读 | Reading in English
        普通话水平提升 | Improving your Putonghua
        """,
}

#: Top-level subjects: (weight in the catalogue, summary clauses, extra body sentences,
#: tags, speaker roles, preferred audiences).
_TOPS: dict[str, dict[str, Any]] = {
    "health": {
        "publishers": ["人民卫生出版社", "华龄出版社", "中国人口出版社"],
        "weight": 22,
        "points": ["讲解日常保健的科学方法", "澄清常见的认识误区", "示范简单易学的动作和做法",
                   "介绍在家就能坚持的小习惯", "提醒需要及时就医的信号"],
        "sentences": ["如有慢性疾病或身体不适，请在医生指导下练习。",
                      "健康的生活方式贵在坚持，每天进步一点点。",
                      "课程内容经过专业医护人员审核，通俗易懂。"],
        "tags": ["健康中国", "养生", "老年健康", "居家锻炼", "健康科普"],
        "roles": ["doctor", "doctor", "teacher", "scholar"],
        "audiences": ["older-adults", "community-residents", "everyone"],
    },
    "digital-skills": {
        "publishers": ["人民邮电出版社", "华龄出版社"],
        "weight": 14,
        "points": ["一步一步演示手机上的操作", "结合真实案例讲清风险所在",
                   "介绍常用软件的基本功能", "提醒使用中的安全注意事项",
                   "帮助大家跨越“数字鸿沟”"],
        "sentences": ["操作演示以常见的手机为例，界面可能因型号和版本不同略有差异。",
                      "请记住：凡是要求转账、索要验证码的，一律先核实再说。",
                      "看不清的地方可以暂停，多看几遍也没关系。"],
        "tags": ["数字助老", "智能技术", "反诈", "适老化", "长辈模式"],
        "roles": ["volunteer", "teacher", "official"],
        "audiences": ["older-adults", "community-residents", "new-citizens"],
    },
    "science-tech": {
        "publishers": ["科学普及出版社", "上海科学技术出版社", "中国农业出版社"],
        "weight": 8,
        "points": ["用通俗的语言讲清背后的科学道理", "结合身边的现象和小实验",
                   "介绍最新的科技进展", "帮助大家用科学的眼光看待生活"],
        "sentences": ["科学就在身边，多问一个为什么，生活会更有趣。",
                      "课后可以和家里的孩子一起动手试一试。"],
        "tags": ["科普", "科学素养", "科技创新", "绿色发展"],
        "roles": ["scholar", "scholar", "teacher"],
        "audiences": ["everyone", "youth", "community-residents", "rural-learners"],
    },
    "economics": {
        "publishers": ["中国农业出版社", "高等教育出版社", "中国社会出版社"],
        "weight": 7,
        "points": ["讲解相关政策和基本概念", "结合典型案例分析利弊", "介绍实用的方法和工具",
                   "提示常见的风险和陷阱"],
        "sentences": ["本课内容仅供学习参考，不构成任何投资建议。",
                      "政策以当地最新规定为准，办理前请先咨询相关部门。"],
        "tags": ["理财", "就业", "乡村振兴", "共同富裕"],
        "roles": ["scholar", "official", "teacher"],
        "audiences": ["workers", "rural-learners", "new-citizens", "veterans"],
    },
    "culture": {
        "publishers": ["中华书局", "文化艺术出版社", "商务印书馆"],
        "weight": 12,
        "points": ["介绍它的历史渊源和文化内涵", "示范基本技法与制作步骤",
                   "讲述传承人的故事", "带大家感受传统文化之美"],
        "sentences": ["这门手艺凝聚着劳动人民的智慧，是宝贵的文化财富。",
                      "准备好简单的材料，就可以跟着视频一起动手。"],
        "tags": ["非遗", "传统文化", "文化自信", "民俗"],
        "roles": ["ich-inheritor", "artisan", "scholar", "teacher"],
        "audiences": ["everyone", "older-adults", "youth", "community-residents"],
    },
    "history": {
        "publishers": ["中华书局", "商务印书馆"],
        "weight": 5,
        "points": ["梳理重要的历史脉络", "讲述鲜活的历史人物和故事",
                   "结合文物和遗址介绍历史细节", "引导大家以史为鉴"],
        "sentences": ["读史使人明智，了解过去才能更好地理解今天。",
                      "课后推荐到附近的博物馆走一走，看看相关的文物。"],
        "tags": ["历史", "博物馆", "文化遗产"],
        "roles": ["scholar", "teacher", "writer"],
        "audiences": ["everyone", "youth", "older-adults"],
    },
    "arts": {
        "publishers": ["文化艺术出版社", "上海科学技术出版社"],
        "weight": 14,
        "points": ["讲解基本技法和练习方法", "赏析经典作品", "示范从零开始的完整过程",
                   "帮助大家提升艺术修养"],
        "sentences": ["艺术学习贵在坚持，每天练习一点点就会有进步。",
                      "欢迎把自己的作品分享到学习群，和同学们互相交流。"],
        "tags": ["艺术", "美育", "老年大学", "兴趣爱好"],
        "roles": ["artisan", "teacher", "scholar"],
        "audiences": ["older-adults", "community-residents", "youth", "everyone"],
    },
    "daily-life": {
        "publishers": ["中国法制出版社", "中国人口出版社", "中国社会出版社"],
        "weight": 14,
        "points": ["分享实用的生活经验", "讲解相关的基本常识", "结合家庭生活中的真实场景",
                   "提供可以直接上手的方法"],
        "sentences": ["生活处处皆学问，用心经营，日子会越过越好。",
                      "遇到具体问题，也可以向社区工作人员咨询。"],
        "tags": ["生活技能", "家庭", "法治", "社区"],
        "roles": ["teacher", "official", "volunteer"],
        "audiences": ["community-residents", "parents", "older-adults", "new-citizens"],
    },
    "languages-literature": {
        "publishers": ["人民文学出版社", "商务印书馆", "高等教育出版社"],
        "weight": 4,
        "points": ["精选经典篇目细读", "讲解实用的表达与方法", "分享阅读与写作的乐趣",
                   "帮助大家提高语言表达能力"],
        "sentences": ["好的作品值得反复品读，每一次都会有新的收获。",
                      "每天开口练一练，坚持下来就能看到进步。"],
        "tags": ["阅读", "文学", "全民阅读", "外语"],
        "roles": ["writer", "scholar", "teacher"],
        "audiences": ["everyone", "youth", "older-adults"],
    },
}
_DEFAULT_TOP: dict[str, Any] = {
    "weight": 3, "points": ["介绍基本知识和实用方法"], "sentences": [], "tags": ["终身学习"],
    "roles": ["teacher"], "audiences": ["everyone"]}
#: Leaves whose audiences differ from their top-level subject's.
_LEAF_AUDIENCES = {
    "agriculture": ["rural-learners"], "rural-economy": ["rural-learners", "workers"],
    "entrepreneurship": ["workers", "new-citizens", "veterans", "youth"],
    "family": ["parents"], "online-safety": ["older-adults", "everyone", "youth"],
    "smartphone": ["older-adults", "community-residents"], "law": ["everyone", "workers"],
    "foreign-languages": ["everyone", "youth", "workers"],
}
_LEAF_ROLES = {"online-safety": ["official", "volunteer"], "law": ["official", "scholar"],
               "tcm": ["doctor"], "intangible-heritage": ["ich-inheritor", "artisan"],
               "literature": ["writer", "scholar"], "classics": ["scholar", "teacher"]}

#: Title patterns (zh, en, level or None): {t} the topic, {T} its English name.
_COURSE_PATTERNS = [
    ("{t}", "{T}", None), ("{t}入门", "{T} for beginners", "beginner"),
    ("{t}：常见误区", "{T}: common mistakes", None),
    ("{t}：实用技巧", "{T}: practical tips", None),
    ("十分钟了解{t}", "{T} in ten minutes", "beginner"), ("图解{t}", "{T}, illustrated", None),
    ("{t}百问百答", "{T}: questions and answers", None),
    ("跟我学{t}", "{T}, step by step", "beginner"), ("{t}：五个要点", "{T}: five key points", None),
    ("{t}案例解析", "{T}: case studies", "intermediate"),
    ("{t}进阶", "{T}: going further", "intermediate"),
    ("{t}基础知识", "{T}: the basics", "beginner"),
    ("{t}专题精讲", "{T}: an in-depth look", "advanced"),
]
#: Parts of a standalone course: 高血压的日常管理入门（饮食篇）.
_COURSE_PARTS = [("基础", "basics"), ("提高", "next steps"), ("实践", "in practice"),
                 ("问答", "Q&A"), ("案例", "cases"), ("家庭", "at home"),
                 ("社区", "in the community"), ("安全", "staying safe"), ("上", "part one"),
                 ("下", "part two")]
#: Sentences for descriptions of any subject, by kind.
_KIND_SENTENCES = {
    "course": ["内容深入浅出，没有基础也能听懂、学会。",
               "每个知识点都配有示范和小结，方便反复观看、巩固练习。",
               "学完之后，可以试着把学到的方法用在日常生活中，也欢迎和家人朋友分享。",
               "建议结合学习资料进行练习，遇到问题可以在学习群里交流。"],
    "ebook": ["书中配有大量插图和实例，读起来轻松易懂。", "每章末尾附有小结和思考题，方便复习。",
              "字号较大、版式疏朗，长辈阅读也不费眼。",
              "可以在线阅读，也可以下载到手机或电脑上慢慢看。"],
    "lecture": ["讲座结束前留有互动问答时间，欢迎提前准备问题。",
                "讲座内容通俗易懂，没有专业基础也能听懂。",
                "欢迎邀请家人朋友一起收听收看。"],
    "series": ["系列内容循序渐进，可以按序号学习，也可以挑感兴趣的单独观看。",
               "系列持续更新，欢迎关注。"],
}
_BOOK_PATTERNS = [
    ("{t}", "{T}"), ("{t}手册", "{T}: a handbook"), ("{t}读本", "{T}: a reader"),
    ("图说{t}", "{T} in pictures"), ("{t}百问", "{T}: a hundred questions"),
    ("{t}实用指南", "{T}: a practical guide"), ("{t}十讲", "{T} in ten lectures"),
    ("{t}通识", "{T}: what everyone should know"), ("{t}故事", "Stories of {t_en}"),
]
_LECTURE_PATTERNS = [
    ("{t}专题讲座", "{T}: a public lecture"), ("漫谈{t}", "{T}: a conversation"),
    ("{t}与我们的生活", "{T} and our daily lives"), ("专家讲{t}", "{T}: an expert's view"),
    ("{t}公开课", "{T}: an open class"),
]
_SERIES_PATTERNS = [
    ("{l}微课堂", "{L} micro-classroom"), ("{l}公开课", "{L} open classes"),
    ("跟着名师学{l}", "{L} with master teachers"), ("{l}轻松学", "{L} made easy"),
    ("{l}系列微课", "{L}: a micro-course series"), ("乐龄{l}课堂", "{L} for seniors"),
]
_BOOK_SERIES_PATTERNS = [("{l}丛书", "{L} book series"), ("{l}读本系列", "{L} readers"),
                         ("乐龄学习·{l}丛书", "Learning in later life: {L}")]
_COUNT_ZH = "一二三四五六七八九十"

_SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余"
             "杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史"
             "陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
_COMPOUND_SURNAMES = ("欧阳", "上官", "司马", "诸葛")
_GIVEN_SINGLE = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚辉鹏华玲红斌宇浩凯琳"
_GIVEN_COMMON = ["秀英", "桂英", "秀兰", "玉兰", "淑珍", "丽华", "建华", "建国", "志强", "国庆",
                 "海燕", "红梅", "晓燕", "文静", "立新", "卫东", "德明", "永红", "春梅", "明辉",
                 "俊杰", "子涵", "雨萱", "浩然", "思远", "晓东", "志刚", "美玲", "丽娟", "慧敏",
                 "振华", "国强", "秀芳", "玉珍", "凤英", "文华", "金凤", "爱民", "学军", "宏伟",
                 "桂兰", "立平"]
_GIVEN_FIRST = "志建国晓海春秀玉文德明永立红丽美慧振宏学爱金凤雨思子俊嘉佳亚"
_GIVEN_SECOND = "强华明英兰芳军伟红梅燕平东辉杰然远涵敏娟玲珍霞琴萍林清宁"

_NATIONAL_PROVIDERS = ("国家开放大学", "国家老年大学", "国家开放大学老年大学", "中国老年大学协会",
                       "中国成人教育协会社区教育专业委员会")
_PROVIDER_SUFFIXES = ("开放大学", "老年大学", "社区大学", "{P}社区教育指导中心",
                      "{P}终身学习服务中心", "{P}老年教育学院")
_ADMIN_NAMES = {"北京": "北京市", "天津": "天津市", "上海": "上海市", "重庆": "重庆市",
                "内蒙古": "内蒙古自治区", "广西": "广西壮族自治区", "西藏": "西藏自治区",
                "宁夏": "宁夏回族自治区", "新疆": "新疆维吾尔自治区"}
_AFFILIATIONS = {
    "scholar": ("{p}大学", "{P}社会科学院", "{p}师范大学", "{P}科学技术协会"),
    "doctor": ("{P}人民医院", "{P}中医院", "{p}中医药大学附属医院", "{P}疾病预防控制中心"),
    "artisan": ("{P}工艺美术协会", "{p}工艺美术研究所"),
    "ich-inheritor": ("{P}非物质文化遗产保护中心", "{P}文化馆"),
    "teacher": ("{p}开放大学", "{p}老年大学", "{P}社区学院"),
    "official": ("{P}公安厅反诈中心", "{P}民政厅", "{P}人力资源和社会保障厅", "{P}司法厅"),
    "volunteer": ("{P}志愿服务联合会", "{p}老年大学志愿者协会"),
    "writer": ("{P}作家协会", "{p}文学艺术界联合会"),
}
_NATIONAL_AFFILIATIONS = {
    "scholar": ("北京大学", "中国科学院", "中国社会科学院"),
    "doctor": ("中国中医科学院", "国家老年医学中心"), "artisan": ("中国工艺美术协会",),
    "ich-inheritor": ("中国非物质文化遗产保护中心",), "teacher": ("国家开放大学",),
    "official": ("国家反诈中心",), "volunteer": ("中国志愿服务联合会",),
    "writer": ("中国作家协会",),
}
_PUBLISHERS = ("国家开放大学出版社", "人民卫生出版社", "科学普及出版社", "中国社会出版社",
               "人民邮电出版社", "中华书局", "上海科学技术出版社", "中国农业出版社",
               "人民文学出版社", "商务印书馆", "高等教育出版社", "华龄出版社", "中国人口出版社",
               "中国法制出版社", "文化艺术出版社")
_NATIONAL_VENUES = ("国家图书馆报告厅", "国家开放大学演播厅", "中国科学技术馆学术报告厅")
_VENUES = ("图书馆报告厅", "老年大学礼堂", "社区学院多功能厅", "科技馆学术报告厅", "文化馆剧场",
           "开放大学演播厅")
_STAR_STORIES = [
    ("{age}岁学会{skill}，{pron}成了社区里的“小老师”",
     "Learning {skill_en} at {age} and teaching the neighbours"),
    ("从零起步学{skill}，带动{k}位邻居一起学习", "From zero to {skill_en}, with {k} neighbours"),
    ("退休不褪色：坚持学习{skill}{y}年", "{y} years of learning {skill_en} in retirement"),
    ("田间地头学{skill}，日子越过越红火", "Learning {skill_en} in the fields"),
    ("把课堂搬进社区：{pron}和{skill}的故事", "Bringing {skill_en} to the community"),
    ("终身学习，让{pron}爱上了{skill}", "How lifelong learning led to {skill_en}"),
]
_PROJECT_BRANDS = ("乐龄学堂", "银龄e学", "书香社区", "田间课堂", "百姓讲坛", "社区夜校",
                   "家门口的课堂", "学习驿站", "终身学习护照", "睦邻学苑", "阳光学堂",
                   "乡村大讲堂", "学习型家庭", "非遗进社区", "数字助老行动", "悦读时光",
                   "山海课堂", "养教联动")
_PROJECT_TYPES = ("社区教育品牌项目", "老年教育服务项目", "乡村学习共同体", "全民阅读推广项目",
                  "数字素养提升行动", "非遗传承学习项目")
_ORGANISER_TYPES = ("开放大学", "老年大学", "社区大学", "终身教育指导中心", "图书馆", "文化馆")


def _parse_topics() -> dict[str, list[tuple[str, str]]]:
    topics = {}
    for leaf, text in _TOPICS_TEXT.items():
        pairs = []
        for line in text.strip().splitlines():
            zh, en = (part.strip() for part in line.split("|"))
            pairs.append((zh, en))
        topics[leaf] = pairs
    return topics


_TOPICS = _parse_topics()


def _pick(rng: random.Random, items: Sequence[Any]) -> Any:
    """``rng.choice`` at half the cost (the generator calls it about 20 times an entry)."""
    count = len(items)
    return items[min(count - 1, int(rng.random() * count))]


# --- YAML output -----------------------------------------------------------------------------

#: Text safe as a plain YAML scalar, in block and flow context: starts with a Chinese character
#: and has no YAML indicator, quote, backslash or control character.
_PLAIN_TEXT = re.compile(r"[\u4e00-\u9fff《“（][^\x00-\x1f\x7f-\x9f:#,\[\]{}\"'\\&*!|>%@`]*")
_PLAIN_WORD = re.compile(r"[a-z][a-z0-9-]*|https://example\.org/[A-Za-z0-9._~/-]*")
_YAML_WORDS = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})


def _q(value: str) -> str:
    """A string as a YAML scalar: plain when that is safe, else a JSON (= YAML) quoted one."""
    if (_PLAIN_TEXT.fullmatch(value) and value.isprintable() and value[-1] != " ") or \
            (_PLAIN_WORD.fullmatch(value) and value not in _YAML_WORDS):
        return value
    return json.dumps(value, ensure_ascii=not value.isprintable())


#: Short strings (terms, names, publishers) recur all the time: quote each once.
_Q_CACHE: dict[str, str] = {}


def _q_cached(value: str) -> str:
    found = _Q_CACHE.get(value)
    if found is None:
        found = _q(value)
        if len(value) <= 24 and len(_Q_CACHE) < 100_000:
            _Q_CACHE[value] = found
    return found


def _yaml_value(value: Any) -> str:
    """A scalar or a flow list of scalars (str, bool, int, date, datetime)."""
    kind = type(value)
    if kind is str:
        return _q_cached(value)
    if kind is list or kind is tuple:
        return "[" + ", ".join([_yaml_value(v) for v in value]) + "]"
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return str(value)
    if isinstance(value, dt.date):  # dates and datetimes
        return value.isoformat()
    raise TypeError(f"cannot write {value!r} as YAML")


def _render(meta: dict[str, Any], body: str, allowed: frozenset[str]) -> str:
    """Front matter (only the kind's fields, in the order given) and the body. Empty values
    (None, [], "") are left out; lists of mappings are written in block style."""
    lines = ["---"]
    append = lines.append
    for key, value in meta.items():
        if value is None or value == [] or value == "" or key not in allowed:
            continue
        if type(value) is list and type(value[0]) is dict:
            append(f"{key}:")
            for item in value:
                prefix = "  - "
                for sub, sub_value in item.items():
                    if sub_value is not None:
                        append(f"{prefix}{sub}: {_yaml_value(sub_value)}")
                        prefix = "    "
        else:
            append(f"{key}: {_yaml_value(value)}")
    append("---")
    append(body.rstrip("\n"))
    append("")
    return "\n".join(lines)


def _isbn13(publisher_code: str, item: int) -> str:
    digits = f"9787{publisher_code}{item:04d}"
    total = sum(int(c) * (1 if i % 2 == 0 else 3) for i, c in enumerate(digits))
    check = (10 - total % 10) % 10
    return f"978-7-{publisher_code}-{item:04d}-{check}"


# --- the generator ---------------------------------------------------------------------------

class _Sample:
    """All choices for one catalogue; ``rng`` is the only source of chance."""

    def __init__(self, rules: Rules, counts: dict[str, int], rng: random.Random) -> None:
        self.rules = rules
        self.counts = counts
        self.rng = rng
        vocab = rules.vocabularies
        self.terms = {name: list(v.terms) for name, v in vocab.items()}
        self.fields = {kind: frozenset(spec.fields) for kind, spec in rules.kinds.items()}
        subjects = vocab["subjects"]
        self.leaves = [t.id for t in subjects.terms.values()
                       if not subjects.children(t.id)] or list(subjects.terms)
        self.top_of = {leaf: (subjects.ancestors(leaf) or (leaf,))[0] for leaf in self.leaves}
        self.leaf_label = {leaf: subjects.terms[leaf].label for leaf in self.leaves}
        tops = list(dict.fromkeys(self.top_of[leaf] for leaf in self.leaves))
        self.tops = tops
        self.leaves_of = {top: [leaf for leaf in self.leaves if self.top_of[leaf] == top]
                          for top in tops}
        self.top_weights = [self._top(top)["weight"] for top in tops]
        regions = vocab.get("regions")
        self.regions = list(regions.terms) if regions else []
        self.provinces = [r for r in self.regions if r != "national"]
        self.region_label = {r: regions.terms[r].label.zh for r in self.regions} if regions \
            else {}
        self.used_titles: dict[str, int] = {}
        self.names_seen: set[str] = set()
        self.course_ids_by_leaf: dict[str, list[str]] = {leaf: [] for leaf in self.leaves}
        self.role_label = {t: v.label.zh for t, v in vocab["speaker_roles"].terms.items()} \
            if "speaker_roles" in vocab else {}

    # - small helpers -
    def _top(self, top: str) -> dict[str, Any]:
        return _TOPS.get(top, _DEFAULT_TOP)

    def term(self, vocabulary: str, preferred: Sequence[str] = (), p: float = 0.9) -> str:
        """A term of a vocabulary: one of ``preferred`` (those that exist) with chance p."""
        terms = self.terms.get(vocabulary) or []
        usable = [t for t in preferred if t in terms]
        if usable and (self.rng.random() < p or not terms):
            return _pick(self.rng, usable)
        return _pick(self.rng, terms)

    def has(self, vocabulary: str, term: str) -> bool:
        return term in (self.terms.get(vocabulary) or ())

    def leaf(self) -> str:
        top = self.rng.choices(self.tops, self.top_weights)[0]
        return _pick(self.rng, self.leaves_of[top])

    def topic(self, leaf: str) -> tuple[str, str]:
        topics = _TOPICS.get(leaf)
        if topics:
            return _pick(self.rng, topics)
        label = self.leaf_label[leaf]
        return label.zh, label.en or label.zh

    def subjects(self, leaf: str) -> list[str]:
        chosen = [leaf]
        extra = self.rng.choices((0, 1, 2), (55, 35, 10))[0]
        for _ in range(extra):
            near = self.leaves_of[self.top_of[leaf]]
            other = _pick(self.rng, near if self.rng.random() < 0.5 else self.leaves)
            if other not in chosen:
                chosen.append(other)
        return chosen

    def audiences(self, leaf: str) -> list[str]:
        preferred = _LEAF_AUDIENCES.get(leaf) or self._top(self.top_of[leaf])["audiences"]
        chosen = [self.term("audiences", preferred)]
        if self.rng.random() < 0.4:
            other = self.term("audiences", preferred)
            if other not in chosen and "everyone" not in (other, chosen[0]):
                chosen.append(other)
        return chosen

    def audience_label(self, audiences: Sequence[str]) -> str:
        vocab = self.rules.vocabularies["audiences"]
        labels = [vocab.terms[a].label.zh for a in audiences if a != "everyone"]
        return "、".join(labels) + "朋友" if labels else "各年龄段的学习者"

    def region(self, p_national: float = 0.35) -> str | None:
        if not self.regions:
            return None
        if "national" in self.regions and self.rng.random() < p_national:
            return "national"
        return _pick(self.rng, self.provinces or self.regions)

    def place(self, region: str | None) -> tuple[str, str]:
        """(short, administrative) names of a region: 江苏 / 江苏省."""
        if region is None or region == "national":
            return "", ""
        label = self.region_label[region]
        return label, _ADMIN_NAMES.get(label, label + "省")

    def provider(self, region: str | None) -> str:
        short, admin = self.place(region)
        if not short:
            return _pick(self.rng, _NATIONAL_PROVIDERS)
        suffix = _pick(self.rng, _PROVIDER_SUFFIXES)
        return suffix.format(P=admin) if "{P}" in suffix else short + suffix

    def day(self, first: int = _FIRST, last: int = _LAST) -> dt.date:
        """A day, more often recent: the catalogue grows every year."""
        return dt.date.fromordinal(first + int((last - first) * self.rng.random() ** 0.75))

    def updated(self, published: dt.date, p: float = 0.15) -> dt.date | None:
        if self.rng.random() >= p:
            return None
        start = published.toordinal() + 30
        if start > _LAST:
            return None
        return dt.date.fromordinal(self.rng.randint(start, min(_LAST, start + 900)))

    def unique_title(self, zh: str, en: str, kind: str) -> tuple[str, str]:
        """Titles stay distinct: a repeat gets a lesson/edition/session number."""
        key = f"{kind}\0{zh}"
        count = self.used_titles.get(key, 0) + 1
        self.used_titles[key] = count
        if count == 1:
            return zh, en
        if kind == "ebook":
            suffix = "th" if 10 <= count % 100 <= 20 else {2: "nd", 3: "rd"}.get(count % 10, "th")
            return f"{zh}（第{count}版）", f"{en} ({count}{suffix} edition)"
        if kind == "lecture":
            return f"{zh}（第{count}场）", f"{en}, session {count}"
        if zh.endswith("篇）"):  # 合唱发声（实践篇·第2讲）
            return f"{zh[:-1]}·第{count}讲）", f"{en[:-1]}, lesson {count})"
        return f"{zh}（第{count}讲）", f"{en}, lesson {count}"

    def title_en(self, en: str, p: float = 0.4) -> str | None:
        return en if self.rng.random() < p else None

    def person(self) -> str:
        """A new distinct Chinese name (surname + one or two characters)."""
        rng = self.rng
        for _ in range(1000):
            if rng.random() < 0.01:
                surname = _pick(rng, _COMPOUND_SURNAMES)
            else:  # common surnames are much more common
                surname = _SURNAMES[int(len(_SURNAMES) * rng.random() ** 2.2)]
            pick = rng.random()
            if pick < 0.2:
                given = _pick(rng, _GIVEN_SINGLE)
            elif pick < 0.45:
                given = _pick(rng, _GIVEN_COMMON)
            else:
                given = _pick(rng, _GIVEN_FIRST) + _pick(rng, _GIVEN_SECOND)
            name = surname + given
            if name not in self.names_seen:
                self.names_seen.add(name)
                return name
        return name  # the lists are exhausted: a repeat is better than a failure

    def pools(self, total: int) -> dict[str, list[str]]:
        """``total`` people split over the top-level subjects by weight, at least 1 each."""
        weight_sum = sum(self.top_weights)
        return {top: [self.person() for _ in range(max(1, round(total * w / weight_sum)))]
                for top, w in zip(self.tops, self.top_weights, strict=True)}

    def pick_people(self, pool: Sequence[str], p_two: float) -> list[str]:
        """One or two people from a pool; a few are much busier than the rest."""
        first = pool[int(len(pool) * self.rng.random() ** 1.3)]
        chosen = [first]
        if len(pool) > 1 and self.rng.random() < p_two:
            second = _pick(self.rng, pool)
            if second != first:
                chosen.append(second)
        return chosen

    def featured(self, p: float) -> bool | None:
        return True if self.rng.random() < p else None

    def tags(self, leaf: str, p: float = 0.3) -> list[str]:
        if self.rng.random() >= p:
            return []
        tags = self._top(self.top_of[leaf])["tags"]
        return self.rng.sample(tags, min(len(tags), self.rng.randint(1, 2)))

    def related(self, leaf: str, own_id: str, p: float) -> list[str]:
        earlier = self.course_ids_by_leaf.get(leaf) or []
        if not earlier or self.rng.random() >= p:
            return []
        chosen: list[str] = []
        for _ in range(self.rng.randint(1, 2)):
            target = _pick(self.rng, earlier)
            if target != own_id and target not in chosen:
                chosen.append(target)
        return chosen

    def body(self, kind: str, leaf: str, topic: str, audiences: Sequence[str], first: str,
             extra: Sequence[str] = (), points: bool = False) -> str:
        """A description: 2-4 sentences (two paragraphs when long), sometimes a short list."""
        top = self._top(self.top_of[leaf])
        label = self.leaf_label[leaf].zh
        pool = [
            f"{topic}是{label}方面大家普遍关心的话题。",
            f"内容从生活中的实际问题出发，{_pick(self.rng, top['points'])}。",
            f"适合{self.audience_label(audiences)}利用空闲时间学习。",
            *_KIND_SENTENCES.get(kind, ()), *top["sentences"], *extra,
        ]
        count = self.rng.randint(1, 3)
        sentences = [first, *self.rng.sample(pool, min(count, len(pool)))]
        if len(sentences) == 4:
            text = "".join(sentences[:2]) + "\n\n" + "".join(sentences[2:])
        else:
            text = "".join(sentences)
        if points:
            items = self.rng.sample(top["points"], min(3, len(top["points"])))
            text += "\n\n**学习要点：**\n\n" + "\n".join(f"- {item}" for item in items)
        return text + "\n"

    def publisher(self, leaf: str) -> str:
        own = [p for p in self._top(self.top_of[leaf]).get("publishers", ()) if p in _PUBLISHERS]
        return _pick(self.rng, own if own and self.rng.random() < 0.7 else _PUBLISHERS)

    def affiliation(self, role: str, region: str | None) -> str | None:
        short, admin = self.place(region)
        if not short:
            options = _NATIONAL_AFFILIATIONS.get(role)
            return _pick(self.rng, options) if options else None
        options = _AFFILIATIONS.get(role)
        return _pick(self.rng, options).format(p=short, P=admin) if options else None


def _plan_series(sample: _Sample, counts: dict[str, int]) -> list[dict[str, Any]]:
    """Series first: the lecture hall, then series of courses, e-books and lectures."""
    rng = sample.rng
    total = counts["series"]
    if total == 0:
        return []
    hall = {"id": LECTURE_HALL, "for": "lecture", "leaf": None, "start": dt.date(2017, 3, 1),
            "members": 0}
    planned = [hall]
    rest = total - 1
    books = rest // 10
    lectures = rest // 12
    courses = rest - books - lectures
    kinds = ["course"] * courses + ["ebook"] * books + ["lecture"] * lectures
    for number, kind in enumerate(kinds, 1):
        leaf = sample.leaf()
        start = sample.day(_FIRST, _LAST - 240)
        planned.append({"id": f"{ID_PREFIX['series']}{number:05d}", "for": kind, "leaf": leaf,
                        "start": start, "members": 0, "region": sample.region(0.4)})
    for spec in planned[1:]:
        label = sample.leaf_label[cast(str, spec["leaf"])]
        patterns = _BOOK_SERIES_PATTERNS if spec["for"] == "ebook" else _SERIES_PATTERNS
        zh, en = _pick(rng, patterns)
        short, _admin = sample.place(cast("str | None", spec["region"]))
        title = zh.format(l=label.zh)
        title_en = en.format(L=label.en)
        if short and rng.random() < 0.5:
            title = f"{short}·{title}"
            region_id = cast(str, spec["region"])
            region_en = sample.rules.vocabularies["regions"].terms[region_id].label.en
            title_en = f"{title_en} ({region_en})"
        key = f"series\0{title}"
        season = sample.used_titles.get(key, 0) + 1
        sample.used_titles[key] = season
        if season > 1:
            title += f"（第{_COUNT_ZH[season - 1] if season <= 10 else season}季）"
            title_en += f", season {season}"
        spec["title"], spec["title_en"] = title, title_en
    return planned


def _assign(sample: _Sample, series: list[dict[str, Any]], kind: str, count: int,
            share: float) -> list[dict[str, Any] | None]:
    """For each entry of a kind, the series it belongs to (or None)."""
    rng = sample.rng
    mine = [s for s in series if s["for"] == kind and s["id"] != LECTURE_HALL]
    hall = next((s for s in series if s["id"] == LECTURE_HALL), None)
    result: list[dict[str, Any] | None] = []
    for index in range(count):
        chosen = None
        if kind == "lecture" and hall is not None and (index == 0 or rng.random() < 0.4):
            chosen = hall
        elif mine and rng.random() < share:
            chosen = _pick(rng, mine)
        if chosen is not None:
            chosen["members"] += 1
        result.append(chosen)
    for spec in series:  # members are spread evenly from the series' start to LAST_DAY
        if spec["for"] != kind:
            continue
        span = _LAST - spec["start"].toordinal()
        spec["step"] = max(1, min(14, span // max(1, spec["members"])))
    return result


def _member_day(spec: dict[str, Any], order: int) -> dt.date:
    return dt.date.fromordinal(min(_LAST, spec["start"].toordinal() + (order - 1) *
                                   spec["step"]))


def _courses(sample: _Sample, counts: dict[str, int], series: list[dict[str, Any]],
             teachers: dict[str, list[str]]) -> Iterable[tuple[dict[str, Any], str]]:
    rng = sample.rng
    allowed = sample.fields["course"]
    membership = _assign(sample, series, "course", counts["course"], 0.3)
    orders: dict[str, int] = {}
    for number, spec in enumerate(membership, 1):
        entry_id = f"{ID_PREFIX['course']}{number:06d}"
        if spec is not None:
            leaf = spec["leaf"]
            order = orders[spec["id"]] = orders.get(spec["id"], 0) + 1
            if "teachers" not in spec:
                spec["teachers"] = sample.pick_people(teachers[sample.top_of[leaf]], 0.3)
                spec["provider"] = sample.provider(spec["region"])
            published = _member_day(spec, order)
            region = spec["region"]
        else:
            leaf = sample.leaf()
            order = None
            published = sample.day()
            region = sample.region()
        topic, topic_en = sample.topic(leaf)
        pattern, pattern_en, level = _pick(rng, _COURSE_PATTERNS)
        zh = pattern.format(t=topic)
        en = pattern_en.format(T=topic_en)
        if spec is not None:
            zh = f"{spec['title']}第{order}讲：{zh}"
            en = f"{spec['title_en']}, lesson {order}: {en}"
        elif rng.random() < 0.7:
            part, part_en = _pick(rng, _COURSE_PARTS)
            zh, en = f"{zh}（{part}篇）", f"{en} ({part_en})"
        title, title_en = sample.unique_title(zh, en, "course")
        fmt = sample.term("formats", ["video"] * 14 + ["audio"] * 2 + ["text"] * 3
                          + ["interactive"], 0.98)
        low, high, mode = {"video": (5, 30, 12), "audio": (8, 30, 15), "text": (3, 15, 6),
                           "interactive": (10, 45, 20)}.get(fmt, (5, 30, 12))
        minutes = int(rng.triangular(low, high, mode))
        if level is None or not sample.has("levels", level):
            level = sample.term("levels", ["beginner"] * 6 + ["intermediate"] * 3
                                + ["advanced"], 0.95)
        audiences = sample.audiences(leaf)
        teacher_names = spec["teachers"] if spec is not None else \
            sample.pick_people(teachers[sample.top_of[leaf]], 0.12)
        access = []
        if fmt in ("video", "interactive") and rng.random() < 0.7:
            access.append("captions")
        if fmt == "video" and rng.random() < 0.03:
            access.append("sign-language")
        if fmt == "video" and rng.random() < 0.02:
            access.append("audio-description")
        if "older-adults" in audiences and rng.random() < 0.3:
            access.append("large-print")
        access = [t for t in sample.terms.get("accessibility", []) if t in access]
        chosen = "zh"
        if "sign-language" in access and rng.random() < 0.3:
            chosen = "csl"
        elif region in ("tibet", "xinjiang", "inner-mongolia", "guangdong") and \
                rng.random() < 0.15:
            chosen = {"tibet": "bo", "xinjiang": "ug", "inner-mongolia": "mn",
                      "guangdong": "yue"}[region]
        language = chosen if sample.has("languages", chosen) else None
        materials = []
        if rng.random() < 0.25:
            names = rng.sample(("学习手册", "图解卡片", "练习题", "课件", "要点速查表"),
                               rng.randint(1, 2))
            for n, name in enumerate(names, 1):
                if "large-print" in access and n == 1:
                    name += "（大字版）"
                materials.append({"title": f"{topic}{name}",
                                  "link": f"https://example.org/materials/{entry_id}-{n}.pdf"})
        summary = _pick(rng, (
            f"本课围绕{topic}，{_pick(rng, sample._top(sample.top_of[leaf])['points'])}，"
            f"适合{sample.audience_label(audiences)}学习。",
            f"用{minutes}分钟讲清{topic}的要点，"
            f"{_pick(rng, sample._top(sample.top_of[leaf])['points'])}。",
            f"{teacher_names[0]}老师结合生活实例讲解{topic}，"
            f"{_pick(rng, sample._top(sample.top_of[leaf])['points'])}。",
        ))
        first = f"{teacher_names[0]}老师带大家学习{topic}。" if rng.random() < 0.5 else \
            f"这节课讲的是{topic}。"
        meta = {
            "kind": "course", "id": entry_id, "title": title,
            "title_en": sample.title_en(title_en), "summary": summary,
            "subjects": sample.subjects(leaf), "audiences": audiences, "language": language,
            "published": published, "updated": sample.updated(published),
            "provider": spec["provider"] if spec is not None else sample.provider(region),
            "region": region, "tags": sample.tags(leaf),
            "featured": sample.featured(0.002),
            "related": sample.related(leaf, entry_id, 0.04),
            "duration_minutes": minutes, "level": level, "format": fmt,
            "teachers": teacher_names,
            "series": spec["id"] if spec is not None else None, "series_order": order,
            "video": f"https://example.org/video/{entry_id}.mp4" if fmt == "video" else None,
            "audio": f"https://example.org/audio/{entry_id}.m4a" if fmt == "audio" else None,
            "materials": materials, "accessibility": access,
        }
        body = sample.body("course", leaf, topic, audiences, first, points=rng.random() < 0.2)
        sample.course_ids_by_leaf[leaf].append(entry_id)
        yield meta, _render(meta, body, allowed)


def _ebooks(sample: _Sample, counts: dict[str, int], series: list[dict[str, Any]],
            authors: dict[str, list[str]]) -> Iterable[tuple[dict[str, Any], str]]:
    rng = sample.rng
    allowed = sample.fields["ebook"]
    membership = _assign(sample, series, "ebook", counts["ebook"], 0.15)
    orders: dict[str, int] = {}
    isbn_items: dict[str, int] = {}
    codes = {name: f"{5012 + 37 * i:04d}" for i, name in enumerate(_PUBLISHERS)}
    file_types = sample.terms.get("file_types", [])
    for number, spec in enumerate(membership, 1):
        entry_id = f"{ID_PREFIX['ebook']}{number:06d}"
        if spec is not None:
            leaf = spec["leaf"]
            order = orders[spec["id"]] = orders.get(spec["id"], 0) + 1
            if "publisher" not in spec:
                spec["publisher"] = sample.publisher(leaf)
            published = _member_day(spec, order)
            publisher = spec["publisher"]
        else:
            leaf = sample.leaf()
            order = None
            published = sample.day()
            publisher = sample.publisher(leaf)
        topic, topic_en = sample.topic(leaf)
        pattern, pattern_en = _pick(rng, _BOOK_PATTERNS)
        title, title_en = sample.unique_title(
            pattern.format(t=topic), pattern_en.format(T=topic_en, t_en=topic_en[:1].lower()
                                                       + topic_en[1:]), "ebook")
        names = sample.pick_people(authors[sample.top_of[leaf]], 0.25)
        year = max(1990, published.year - int(rng.random() ** 2 * 12))
        pages = int(rng.triangular(60, 480, 180))
        isbn = None
        if rng.random() < 0.85:
            item = isbn_items[publisher] = isbn_items.get(publisher, 0) + 1
            isbn = _isbn13(codes[publisher], item % 10000)
        files = []
        for file_type, chance, ext, per_page in (("epub", 0.7, ".epub", 6000),
                                                 ("pdf", 0.6, ".pdf", 45000),
                                                 ("html", 0.3, "/", 0),
                                                 ("audio", 0.1, ".m4a", 350000)):
            if file_type in file_types and rng.random() < chance:
                files.append({"type": file_type,
                              "link": f"https://example.org/books/{entry_id}{ext}",
                              "size": per_page * pages + rng.randint(0, 99999)
                              if per_page else None})
        if not files and file_types:
            files.append({"type": file_types[0],
                          "link": f"https://example.org/books/{entry_id}/", "size": None})
        audiences = sample.audiences(leaf)
        point = _pick(rng, sample._top(sample.top_of[leaf])["points"])
        summary = _pick(rng, (
            f"本书围绕{topic}，{point}，图文并茂，适合{sample.audience_label(audiences)}阅读。",
            f"一本写给普通读者的{topic}读物：{point}。",
        ))
        first = (f"本书由{'、'.join(names)}编著，共{rng.randint(6, 16)}章，"
                 f"{publisher}{year}年出版。")
        meta = {
            "kind": "ebook", "id": entry_id, "title": title,
            "title_en": sample.title_en(title_en), "summary": summary,
            "subjects": sample.subjects(leaf), "audiences": audiences, "language": "zh",
            "published": published, "updated": sample.updated(published, 0.05),
            "provider": _pick(rng, ("国家数字图书馆", "国家开放大学图书馆", "全民阅读资源中心")),
            "region": "national" if sample.has("regions", "national") else None,
            "tags": sample.tags(leaf, 0.2), "featured": sample.featured(0.01),
            "related": sample.related(leaf, entry_id, 0.03),
            "authors": names, "publisher": publisher, "year": year, "isbn": isbn,
            "pages": pages, "series": spec["id"] if spec is not None else None,
            "series_order": order, "files": files,
        }
        body = sample.body("ebook", leaf, topic, audiences, first)
        yield meta, _render(meta, body, allowed)


def _lectures(sample: _Sample, counts: dict[str, int], series: list[dict[str, Any]],
              speakers: dict[str, list[tuple[str, str, str | None]]]
              ) -> Iterable[tuple[dict[str, Any], str]]:
    rng = sample.rng
    allowed = sample.fields["lecture"]
    membership = _assign(sample, series, "lecture", counts["lecture"], 0.3)
    orders: dict[str, int] = {}
    for number, spec in enumerate(membership, 1):
        entry_id = f"{ID_PREFIX['lecture']}{number:06d}"
        hall = spec is not None and spec["id"] == LECTURE_HALL
        order = None
        if spec is not None:
            order = orders[spec["id"]] = orders.get(spec["id"], 0) + 1
            day = _member_day(spec, order)
        else:
            day = sample.day(_FIRST + 14)
        leaf = spec["leaf"] if spec is not None and spec["leaf"] else sample.leaf()
        region = "national" if hall and sample.has("regions", "national") else \
            sample.region(0.2)
        if hall:
            mode = sample.term("lecture_modes", ["livestream"], 0.9)
            clock = "19:30"
        else:
            mode = sample.term("lecture_modes", ["in-person"] * 9 + ["livestream"] * 7
                               + ["recorded"] * 4, 0.98)
            clock = _pick(rng, ("09:30", "14:30", "15:00", "19:00", "19:30"))
        starts = dt.datetime.fromisoformat(f"{day.isoformat()}T{clock}:00+08:00")
        published = dt.date.fromordinal(max(_FIRST, day.toordinal() - rng.randint(3, 14)))
        topic, topic_en = sample.topic(leaf)
        pattern, pattern_en = _pick(rng, _LECTURE_PATTERNS)
        zh, en = pattern.format(t=topic), pattern_en.format(T=topic_en)
        if hall:
            zh, en = f"大讲堂第{order}期：{topic}", f"Lecture Hall no. {order}: {topic_en}"
        elif spec is not None:
            zh = f"{spec['title']}第{order}讲：{zh}"
            en = f"{spec['title_en']}, lecture {order}: {en}"
        title, title_en = sample.unique_title(zh, en, "lecture")
        pool = speakers[sample.top_of[leaf]]
        chosen = [pool[int(len(pool) * rng.random() ** 1.4)]]
        if len(pool) > 1 and rng.random() < 0.2:
            other = _pick(rng, pool)
            if other[0] != chosen[0][0]:
                chosen.append(other)
        audiences = sample.audiences(leaf)
        if hall and "community-residents" not in audiences and rng.random() < 0.5:
            audiences = ["community-residents", *audiences][:2]
        first_speaker = chosen[0]
        role = sample.role_label.get(first_speaker[1], "")
        how = {"livestream": "讲座在线直播，直播结束后可以观看回放。",
               "in-person": "讲座在现场举行，免费入场，座位有限，先到先得。",
               "recorded": "讲座以录播形式发布，可以随时观看。"}.get(mode, "")
        summary = f"{role}{first_speaker[0]}主讲{topic}，" \
                  f"{_pick(rng, sample._top(sample.top_of[leaf])['points'])}。"
        first = (f"本期讲座邀请{first_speaker[2] or ''}{role}{first_speaker[0]}，"
                 f"和大家聊一聊{topic}。")
        _short, admin = sample.place(region)
        meta = {
            "kind": "lecture", "id": entry_id, "title": title,
            "title_en": sample.title_en(title_en), "summary": summary,
            "subjects": sample.subjects(leaf), "audiences": audiences, "language": "zh",
            "published": published, "updated": None,
            "provider": "国家开放大学" if hall else sample.provider(region), "region": region,
            "tags": sample.tags(leaf, 0.3), "featured": sample.featured(0.03),
            "related": sample.related(leaf, entry_id, 0.15),
            "speakers": [{"name": name, "role": role_id, "affiliation": affiliation}
                         for name, role_id, affiliation in chosen],
            "starts": starts, "duration_minutes": _pick(rng, (45, 60, 60, 90, 90, 120)),
            "mode": mode,
            "venue": (admin + _pick(rng, _VENUES) if admin else _pick(rng, _NATIONAL_VENUES))
            if mode == "in-person" else None,
            "livestream_url": f"https://example.org/live/{entry_id}" if mode == "livestream"
            else None,
            "replay": f"https://example.org/replay/{entry_id}.mp4"
            if mode == "recorded" or (mode == "livestream" and rng.random() < 0.5) else None,
            "series": spec["id"] if spec is not None else None, "series_order": order,
        }
        body = sample.body("lecture", leaf, topic, audiences, first, extra=[how] if how else ())
        yield meta, _render(meta, body, allowed)


def _series_entries(sample: _Sample, series: list[dict[str, Any]]
                    ) -> Iterable[tuple[dict[str, Any], str]]:
    rng = sample.rng
    allowed = sample.fields["series"]
    what = {"course": "系列微课", "ebook": "系列丛书", "lecture": "系列讲座"}
    units = {"course": "节微课", "ebook": "本图书", "lecture": "期讲座"}
    for spec in series:
        if spec["id"] == LECTURE_HALL:
            subjects = [t for t in ("culture", "health", "science-tech")
                        if sample.has("subjects", t)] or [sample.leaf()]
            meta = {
                "kind": "series", "id": LECTURE_HALL, "title": "网上社区教育大讲堂",
                "title_en": "Online Community Education Lecture Hall",
                "summary": "每周一期，邀请专家学者和各行各业的能手，"
                           "为社区居民讲健康、讲文化、讲科学。",
                "subjects": subjects,
                "audiences": [a for a in ("community-residents", "older-adults")
                              if sample.has("audiences", a)],
                "published": spec["start"], "region": "national" if sample.has(
                    "regions", "national") else None,
                "featured": True, "organiser": "国家开放大学",
            }
            body = ("“网上社区教育大讲堂”是面向全国社区居民的线上公益讲座品牌。"
                    "晚上七点半准时开讲，每期一个主题，讲给百姓听。\n\n"
                    "错过直播也没关系，大部分讲座都可以观看回放。\n")
            yield meta, _render(meta, body, allowed)
            continue
        leaf = spec["leaf"]
        audiences = sample.audiences(leaf)
        organiser = spec.get("provider") or sample.provider(spec["region"])
        label = sample.leaf_label[leaf].zh
        point = _pick(rng, sample._top(sample.top_of[leaf])["points"])
        summary = f"共{spec['members']}{units[spec['for']]}，围绕{label}，{point}。" \
            if spec["members"] else f"围绕{label}的{what[spec['for']]}，{point}。"
        first = f"“{spec['title']}”是{organiser}推出的{what[spec['for']]}。"
        meta = {
            "kind": "series", "id": spec["id"], "title": spec["title"],
            "title_en": sample.title_en(spec["title_en"], 0.6), "summary": summary,
            "subjects": sample.subjects(leaf), "audiences": audiences,
            "published": spec["start"], "updated": sample.updated(spec["start"], 0.3),
            "provider": organiser, "region": spec["region"], "tags": sample.tags(leaf, 0.4),
            "featured": sample.featured(0.05), "organiser": organiser,
        }
        extra = ["建议按序号循序渐进地学习，每一期都可以单独观看。"]
        yield meta, _render(meta, sample.body("series", leaf, label, audiences, first,
                                                              extra), allowed)


def _stars(sample: _Sample, count: int) -> Iterable[tuple[dict[str, Any], str]]:
    rng = sample.rng
    allowed = sample.fields["star"]
    for number in range(1, count + 1):
        entry_id = f"{ID_PREFIX['star']}{number:06d}"
        leaf = sample.leaf()
        skill, skill_en = sample.topic(leaf)
        name = sample.person()
        year = rng.randint(2015, 2025)
        published = dt.date(year, 12, 1) + dt.timedelta(days=rng.randint(0, 150))
        published = min(published, LAST_DAY)
        region = sample.region(0.0)
        short, admin = sample.place(region)
        age = rng.randint(55, 82) if rng.random() < 0.7 else rng.randint(24, 54)
        pron = "她" if rng.random() < 0.6 else "他"
        k, y = rng.randint(5, 60), rng.randint(3, 20)
        headline, headline_en = _pick(rng, _STAR_STORIES)
        fill = {"age": age, "skill": skill, "pron": pron, "k": k, "y": y,
                "skill_en": skill_en[:1].lower() + skill_en[1:]}
        title, _ = sample.unique_title(f"{name}：{headline.format(**fill)}", "", "star")
        title_en = None
        if rng.random() < 0.4:
            from pypinyin import lazy_pinyin  # heavy import, only for stars

            syllables = lazy_pinyin(name)
            cut = 2 if name[:2] in _COMPOUND_SURNAMES else 1
            romanised = "".join(syllables[:cut]).title() + " " + "".join(syllables[cut:]).title()
            title_en = f"{romanised}: {headline_en.format(**fill)}"
        school = f"{short}老年大学" if short else "社区学校"
        story = [
            f"{name}，{short}人，今年{age}岁。" if short else f"{name}，今年{age}岁。",
            f"{year - y}年，{pron}走进{school}，开始学习{skill}。",
            f"从一开始什么都不懂，到后来熟练掌握、还能给别人当老师，{pron}用了整整{y}年。",
            f"如今，{pron}还组建了学习小组，带动{k}位邻居一起学习。",
            f"{pron}常说：“活到老，学到老，学习让生活更充实。”",
        ]
        body = "".join(story[:2]) + "\n\n" + "".join(story[2:2 + rng.randint(1, 3)]) + "\n"
        meta = {
            "kind": "star", "id": entry_id, "title": title, "title_en": title_en,
            "summary": f"{short or ''}{name}坚持学习{skill}，{year}年入选百姓学习之星。",
            "subjects": sample.subjects(leaf), "audiences": sample.audiences(leaf),
            "published": published, "provider": f"{admin}终身学习活动周组委会" if admin
            else "全民终身学习活动周组委会", "region": region,
            "featured": sample.featured(0.1), "name": name, "year": year,
        }
        yield meta, _render(meta, body, allowed)


def _projects(sample: _Sample, count: int) -> Iterable[tuple[dict[str, Any], str]]:
    rng = sample.rng
    allowed = sample.fields["project"]
    for number in range(1, count + 1):
        entry_id = f"{ID_PREFIX['project']}{number:06d}"
        leaf = sample.leaf()
        region = sample.region(0.05)
        short, admin = sample.place(region)
        brand = _pick(rng, _PROJECT_BRANDS)
        kind_zh = _pick(rng, _PROJECT_TYPES)
        title, _ = sample.unique_title(f"{short}“{brand}”{kind_zh}", "", "project")
        organiser_type = _pick(rng, _ORGANISER_TYPES)
        if not admin:
            organiser = _pick(rng, _NATIONAL_PROVIDERS)
        elif organiser_type.endswith("大学"):  # 江苏开放大学, but 江苏省图书馆
            organiser = short + organiser_type
        else:
            organiser = admin + organiser_type
        year = rng.randint(2015, 2025)
        published = min(LAST_DAY, dt.date(year, 10, 1) + dt.timedelta(days=rng.randint(0, 200)))
        label = sample.leaf_label[leaf].zh
        sessions, people = rng.randint(50, 3000), rng.randint(1, 80)
        body = (f"“{brand}”由{organiser}于{year - rng.randint(0, 6)}年创立，以{label}为特色，"
                f"面向{sample.audience_label(sample.audiences(leaf))}开展常态化学习活动。"
                f"项目累计开展活动{sessions}场，服务学习者{people}万人次。\n\n"
                f"{year}年，项目被认定为终身学习品牌项目。\n")
        meta = {
            "kind": "project", "id": entry_id, "title": title,
            "summary": f"{organiser}打造的{kind_zh}，以{label}为特色，把学习送到百姓家门口。",
            "subjects": sample.subjects(leaf), "audiences": sample.audiences(leaf),
            "published": published, "region": region, "featured": sample.featured(0.1),
            "organiser": organiser, "year": year,
            "website": f"https://example.org/projects/{entry_id}/" if rng.random() < 0.7
            else None,
        }
        yield meta, _render(meta, body, allowed)


def _pages(counts: dict[str, int], seed: int) -> dict[str, str]:
    index = (
        "---\ntitle: 终身学习资源目录\n---\n"
        "汇聚全国优质的终身学习资源：微课、电子书、公益讲座、系列课程，"
        "以及各地的百姓学习之星和终身学习品牌项目，人人皆学、处处能学、时时可学。\n\n"
        f"本目录为测试用的示例数据（随机种子 {seed}），共收录微课 {counts['course']} 门、"
        f"电子书 {counts['ebook']} 种、讲座 {counts['lecture']} 场、系列 {counts['series']} 个、"
        f"百姓学习之星 {counts['star']} 位、终身学习品牌项目 {counts['project']} 个。\n")
    about = (
        "---\ntitle: 关于\n---\n"
        "终身学习资源目录收录全国各地开放大学、老年大学、社区学院和图书馆提供的学习资源。\n\n"
        "本站内容由程序按固定规则生成，仅用于性能测试和功能演示；其中的人名、机构、"
        "书号和链接均为虚构。\n")
    return {"index.md": index, "about.md": about}


class _SectionMatcher:
    """Collects, per section of sections.yml, the generated entries it holds (as
    ``Catalogue.matches`` decides, from the front matter written)."""

    def __init__(self, rules: Rules) -> None:
        self.rules = rules
        self.sections = [s for s in rules.sections if s.featured]
        self.found: dict[str, list[str]] = {s.slug: [] for s in self.sections}

    def add(self, meta: dict[str, Any]) -> None:
        for section in self.sections:
            if self.matches(meta, section.where):
                self.found[section.slug].append(meta["id"])

    def matches(self, meta: dict[str, Any], where: Any) -> bool:
        kind = self.rules.kinds[meta["kind"]]
        for name, allowed in where.items():
            if name == "kind":
                values: list[Any] = [meta["kind"]]
            else:
                spec = kind.fields.get(name)
                if spec is None:
                    return False
                value = meta.get(name)
                if value is None:
                    value = spec.default
                values = list(value) if isinstance(value, (list, tuple)) else [value]
                if spec.type == "term" and spec.vocabulary:
                    vocab = self.rules.vocabularies[spec.vocabulary]
                    values = [a for v in values if v in vocab.terms
                              for a in (*vocab.ancestors(v), v)]
            if not any(str(v) in allowed for v in values if v is not None):
                return False
        return True


def _replace_featured(path: Path, rules: Rules, matcher: _SectionMatcher,
                      rng: random.Random) -> None:
    """The copied sections.yml names featured entries of the real catalogue, which the sample
    does not have: feature as many of the sample's own entries instead (or none). Only the
    ``featured`` values change; comments and layout stay."""
    chosen: dict[str, list[str]] = {}
    for section in matcher.sections:
        candidates = matcher.found[section.slug]
        count = min(len(section.featured), len(candidates))
        chosen[section.slug] = rng.sample(candidates, count)
    if not chosen:
        return
    text = path.read_text(encoding="utf-8")
    node = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    spans = []
    for item in getattr(node, "value", []):
        if not isinstance(item, yaml.MappingNode):
            continue
        fields = {key.value: value for key, value in item.value}
        slug = getattr(fields.get("slug"), "value", None)
        value = fields.get("featured")
        if slug in chosen and value is not None:
            flow = "[" + ", ".join(chosen[slug]) + "]"
            if isinstance(value, yaml.SequenceNode) and not value.flow_style and value.value:
                # a block list: from after 'featured:' to the end of its last item's line
                key = next(k for k, _ in item.value if k.value == "featured")
                start = text.index(":", key.end_mark.index) + 1
                end = text.find("\n", value.value[-1].end_mark.index)
                spans.append((start, len(text) if end < 0 else end, " " + flow))
            else:
                spans.append((value.start_mark.index, value.end_mark.index, flow))
    for start, end, replacement in sorted(spans, reverse=True):
        text = text[:start] + replacement + text[end:]
    data = yaml.safe_load(text)
    result = {d.get("slug"): list(d.get("featured") or []) for d in data
              if isinstance(d, dict) and d.get("slug") in chosen} \
        if isinstance(data, list) else None
    if result != chosen:  # an unexpected layout: write the data plainly instead
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for item in data:
            if item.get("slug") in chosen:
                item["featured"] = chosen[item["slug"]]
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    path.write_bytes(text.encode("utf-8"))


def _write_files(batch: list[tuple[Path, str]]) -> None:
    for path, text in batch:
        with open(path, "xb") as handle:  # text has "\n" line ends only
            handle.write(text.encode("utf-8"))


def write_sample(out: Path, entries: int, *, catalogue_dir: Path, seed: int = 0
                 ) -> dict[str, int]:
    """Write a synthetic catalogue of ``entries`` entries to ``out/content/`` and copy
    ``catalogue_dir`` to ``out/catalogue/``; return the number of entries of each kind.

    The same arguments (and the same catalogue rules) always give byte-identical files.
    In the copy of ``sections.yml`` only the ``featured`` lists change (to sample entries).
    Refuses (FileExistsError) to write into a non-empty ``out/content/`` or an existing
    ``out/catalogue/``.
    """
    out = Path(out)
    catalogue_dir = Path(catalogue_dir)
    content = out / "content"
    if content.exists() and (not content.is_dir() or any(content.iterdir())):
        raise FileExistsError(f"{content} already exists and is not empty; choose a new "
                              "output folder or empty it first")
    if (out / "catalogue").exists():
        raise FileExistsError(f"{out / 'catalogue'} already exists; choose a new output folder "
                              "or remove it first")
    counts = kind_counts(entries)
    rules = load_rules(catalogue_dir)
    missing = [kind for kind in KIND_DIRS if kind not in rules.kinds and counts[kind]]
    if missing:
        raise ValueError(f"{catalogue_dir}/fields.yml has no kind {', '.join(missing)}")
    sample = _Sample(rules, counts, random.Random(seed))
    teachers = sample.pools(max(1, round(counts["course"] / 20)))
    authors = sample.pools(max(1, round(counts["ebook"] / 2.5)))
    speaker_names = sample.pools(max(1, round(counts["lecture"] / 1.5)))
    speakers: dict[str, list[tuple[str, str, str | None]]] = {}
    for top, names in speaker_names.items():
        roles = _TOPS.get(top, _DEFAULT_TOP)["roles"]
        speakers[top] = []
        for name in names:
            role = sample.term("speaker_roles", roles, 0.95)
            region = sample.region(0.3)
            affiliation = sample.affiliation(role, region) if sample.rng.random() < 0.85 \
                else None
            speakers[top].append((name, role, affiliation))
    series = _plan_series(sample, counts)

    folders = {kind: rules.kinds[kind].folder for kind in KIND_DIRS if kind in rules.kinds}
    for folder in folders.values():
        (content / folder).mkdir(parents=True, exist_ok=True)
    generators = (
        _courses(sample, counts, series, teachers), _ebooks(sample, counts, series, authors),
        _lectures(sample, counts, series, speakers), _series_entries(sample, series),
        _stars(sample, counts["star"]), _projects(sample, counts["project"]))
    written = dict.fromkeys(KIND_DIRS, 0)
    matcher = _SectionMatcher(rules)
    # One thread writes while this one generates: file system calls release the GIL.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="sample-writer") as writer:
        pending: deque[Future[None]] = deque()
        batch: list[tuple[Path, str]] = []
        for generator in generators:  # series last: their summaries count their members
            for meta, text in generator:
                kind = meta["kind"]
                batch.append((content / folders[kind] / f"{meta['id']}.md", text))
                written[kind] += 1
                matcher.add(meta)
                if len(batch) >= 500:
                    pending.append(writer.submit(_write_files, batch))
                    batch = []
                    while len(pending) > 8:  # bounded memory when the disk is slow
                        pending.popleft().result()
        pending.append(writer.submit(_write_files, batch))
        for future in pending:
            future.result()
    for name, text in _pages(counts, seed).items():
        (content / name).write_bytes(text.encode("utf-8"))
    shutil.copytree(catalogue_dir, out / "catalogue")
    _replace_featured(out / "catalogue" / "sections.yml", rules, matcher, sample.rng)
    return written

