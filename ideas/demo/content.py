"""The texts of the demo community: people, companies, challenges, ideas, comments.

Everything here is invented for the demo. Dates are offsets in days from "now"
(negative = in the past) and are turned into datetimes by the loader.
"""

from __future__ import annotations

PASSWORD = "demo-password-2026"
ADMIN_EMAIL = "admin@demo.example"

# username, display name, locale, bio, expertise
ADMIN = ("admin", "Demo Administrator", "en", "Runs this demo site.", ["moderation"])

COMPANY_PEOPLE = [
    # username, display, locale, bio, expertise, company key, role
    ("petra.vlckova", "Petra Vlčková", "cs", "Vedu produktový tým praček v Kladně.",
     ["product management", "laundry"], "lumora", "owner"),
    ("tom.hale", "Tom Hale", "en", "Innovation manager, formerly a dishwasher acoustics engineer.",
     ["acoustics", "innovation"], "lumora", "manager"),
    ("irina.sokolova", "Ирина Соколова", "ru", "Руковожу программой открытых инноваций в Nordlink.",
     ["telecom", "open innovation"], "nordlink", "owner"),
    ("chen.wei", "陈伟", "zh", "负责城市出行与车联网项目。",
     ["mobility", "IoT"], "nordlink", "manager"),
]

JUDGES = [
    ("judge.novak", "Jan Novák", "cs", "Profesor strojního inženýrství, ČVUT.", ["mechanical engineering", "judging"]),
    ("judge.mitchell", "Sarah Mitchell", "en", "Industrial designer and startup mentor.", ["design", "judging"]),
    ("judge.liu", "刘芳", "zh", "电子工程师，专注低功耗传感器。", ["sensors", "judging"]),
]

MEMBERS = [
    ("katerina.dvorak", "Kateřina Dvořáková", "cs", "Chemička, doma tři děti a věčně plná pračka.",
     ["chemistry", "laundry"]),
    ("ondrej.svoboda", "Ondřej Svoboda", "cs", "Elektrotechnik a kutil, opravuji spotřebiče pro sousedy.",
     ["electronics", "repair"]),
    ("lucie.kralova", "Lucie Králová", "cs", "UX designérka, zajímá mě, proč lidé nečtou návody.",
     ["UX", "research"]),
    ("marek.prochazka", "Marek Procházka", "cs", "Jezdím do práce na kole i koloběžce, celý rok.",
     ["cycling", "urban planning"]),
    ("jiri.cerny", "Jiří Černý", "cs", "Síťový inženýr na venkově, kde signál končí za humny.",
     ["networking", "rural broadband"]),
    ("alexei.ivanov", "Алексей Иванов", "ru", "Инженер-радиотехник, люблю антенны и железные дороги.",
     ["radio", "antennas"]),
    ("olga.petrova", "Ольга Петрова", "ru", "Микробиолог, изучаю биоплёнки в бытовой технике.",
     ["microbiology", "hygiene"]),
    ("dmitry.smirnov", "Дмитрий Смирнов", "ru", "Разработчик встраиваемых систем.",
     ["embedded", "firmware"]),
    ("natalia.kuznetsova", "Наталья Кузнецова", "ru", "Дизайнер интерфейсов для бытовой техники.",
     ["interaction design", "accessibility"]),
    ("sergey.volkov", "Сергей Волков", "ru", "Логист, считаю каждый километр последней мили.",
     ["logistics", "data analysis"]),
    ("wang.lei", "王磊", "zh", "声学工程师，喜欢安静的厨房。", ["acoustics", "vibration"]),
    ("li.na", "李娜", "zh", "城市规划研究生，关注共享出行安全。", ["urban planning", "safety"]),
    ("zhang.min", "张敏", "zh", "材料科学博士，研究抗菌涂层。", ["materials", "coatings"]),
    ("zhao.yang", "赵阳", "zh", "通信工程师，做过5G基站部署。", ["5G", "radio planning"]),
    ("huang.xin", "黄欣", "zh", "产品经理，喜欢把复杂的东西变简单。", ["product", "UX"]),
    ("emma.clarke", "Emma Clarke", "en", "Energy consultant who reads every appliance label twice.",
     ["energy efficiency", "policy"]),
    ("james.okafor", "James Okafor", "en", "Hardware hacker, builds sensors from spare parts.",
     ["hardware", "sensors"]),
    ("sophie.martin", "Sophie Martin", "en", "Occupational therapist; designs for hands that shake.",
     ["accessibility", "health"]),
    ("daniel.reyes", "Daniel Reyes", "en", "Bus driver turned transit data nerd.",
     ["public transport", "data"]),
    ("hannah.berg", "Hannah Berg", "en", "Mechanical engineer working on quiet pumps.",
     ["pumps", "mechanical engineering"]),
    ("oliver.grant", "Oliver Grant", "en", "Commutes by e-scooter and has opinions about brakes.",
     ["micromobility", "safety"]),
    ("mia.novotna", "Mia Novotná", "cs", "Studentka průmyslového designu v Brně.",
     ["industrial design", "sustainability"]),
]

COMPANIES = {
    "lumora": {
        "name": "Lumora Home",
        "tagline": "Appliances that look after themselves.",
        "description": (
            "Lumora Home designs washing machines, dishwashers and fridges in Central "
            "Europe. We open our hardest product questions to the community because the "
            "people who live with our machines notice things our labs miss.\n\n"
            "Winning ideas are prototyped in our Kladno test centre within a quarter."
        ),
        "website": "https://lumora.example",
    },
    "nordlink": {
        "name": "Nordlink Mobility",
        "tagline": "Connected journeys, from the railway to the last metre.",
        "description": (
            "Nordlink Mobility builds the networks behind trains, buses and shared "
            "vehicles: on-board connectivity, fleet telemetry and the apps riders use.\n\n"
            "We run open challenges when a problem touches riders directly."
        ),
        "website": "https://nordlink.example",
    },
}

# Challenge keys map to ideas below. "days" are offsets from now for phase starts.
CHALLENGES = [
    {
        "key": "washer",
        "company": "lumora",
        "creator": "petra.vlckova",
        "title": "Keep the washing machine fresh between washes",
        "summary": "Front-loaders trap moisture in the door seal and drawer. Help us stop "
                   "the musty smell and biofilm without asking people to scrub.",
        "problem": (
            "After a few months, many front-loading washers develop a musty smell. Water "
            "stays in the rubber door gasket, the detergent drawer and the sump, and a "
            "biofilm grows there. Owners notice it as grey spots on the seal and towels "
            "that smell even when clean.\n\n"
            "Our service data shows that **one in five** warranty visits mentions odour, "
            "and most owners never run the maintenance programme because they do not know "
            "it exists or find it wasteful.\n\n"
            "## What we are looking for\n\n"
            "- Design changes, materials or routines that keep the wet parts dry or clean\n"
            "- Ways to nudge owners at the right moment, without nagging\n"
            "- Ideas that work in hard-water regions and with eco programmes at 30 °C\n"
        ),
        "category": "home",
        "tags": ["hygiene", "laundry", "materials"],
        "reward_text": "Cash prize for the winning idea plus a paid prototype sprint with our lab",
        "reward_amount": 5000,
        "reward_currency": "EUR",
        "criteria": [
            "Measurably less biofilm in the door seal after 12 weeks of normal use",
            "No extra energy or water use above 3% per year",
            "Works without the owner having to remember a routine",
        ],
        "visibility": "public",
        "phase": "submission",
        "history": [("draft", -20), ("submission", -12)],
        "plans": [("submission", -12, 10), ("voting", 10, 24), ("review", 24, 38), ("closed", 38, None)],
    },
    {
        "key": "busstop",
        "company": "nordlink",
        "creator": "irina.sokolova",
        "title": "Connectivity at rural bus stops",
        "summary": "Riders in villages wait at stops with no signal, no timetable updates "
                   "and no way to call for help. How could a stop become connected cheaply?",
        "problem": (
            "## Context\n\n"
            "Nordlink operates real-time passenger information for regional buses. In towns "
            "it works well; at the 4,000 rural stops we serve, there is often no mains power "
            "and weak mobile coverage. Riders do not know whether the bus is late or gone.\n\n"
            "## The challenge\n\n"
            "Propose a way to bring live departure information and an emergency contact to a "
            "rural stop for **under €300 per stop per year**, including maintenance.\n\n"
            "We welcome hardware, network and purely organisational ideas.\n"
        ),
        "category": "mobility",
        "tags": ["rural", "connectivity", "public transport"],
        "reward_text": "Prize pool split between the top three ideas",
        "reward_amount": 8000,
        "reward_currency": "EUR",
        "criteria": [
            "Total cost below €300 per stop per year",
            "Works without mains power",
            "Riders without a smartphone also benefit",
        ],
        "visibility": "public",
        "phase": "voting",
        "history": [("draft", -45), ("submission", -38), ("voting", -6)],
        "plans": [("submission", -38, -6), ("voting", -6, 8), ("review", 8, 22), ("closed", 22, None)],
    },
    {
        "key": "dishwasher",
        "company": "lumora",
        "creator": "tom.hale",
        "title": "A dishwasher you can't hear from the sofa",
        "summary": "Open-plan living means the kitchen is the living room. Which noise "
                   "sources should we attack first, and how?",
        "problem": (
            "## Why this matters\n\n"
            "In open-plan flats people run the dishwasher in the evening, right next to the "
            "television. Our quietest model is rated at 42 dB, yet customers still "
            "complain about **tonal** sounds: the drain pump whine, water hitting the "
            "door, and the click of the dosing flap.\n\n"
            "## Scope\n\n"
            "Ideas can change the machine, the installation, or the programme logic. "
            "We care more about how annoying a sound is than about its decibel number.\n"
        ),
        "category": "home",
        "tags": ["acoustics", "kitchen", "comfort"],
        "reward_text": "Cash prize and your name in the product launch notes",
        "reward_amount": 4000,
        "reward_currency": "EUR",
        "criteria": [
            "Reduces the most annoying tonal noise, shown in a listening test",
            "Adds less than €15 to the bill of materials",
        ],
        "visibility": "public",
        "phase": "review",
        "history": [("draft", -70), ("submission", -62), ("voting", -30), ("review", -9)],
        "plans": [("submission", -62, -30), ("voting", -30, -9), ("review", -9, 12), ("closed", 12, None)],
    },
    {
        "key": "scooter",
        "company": "nordlink",
        "creator": "chen.wei",
        "title": "Safer shared e-scooters for daily commuters",
        "summary": "Most shared-scooter crashes happen in the first ten rides. How can the "
                   "scooter and the app make those rides safer?",
        "problem": (
            "## Background\n\n"
            "Nordlink supplies the telematics for three shared-scooter fleets. Our crash "
            "data shows a clear pattern: new riders, wet tram rails and kerbs at night.\n\n"
            "## What we need\n\n"
            "Ideas that reduce injuries for commuters without making the service slow or "
            "patronising. Sensor data from the scooter (speed, tilt, braking) is available.\n"
        ),
        "category": "mobility",
        "tags": ["micromobility", "safety", "telematics"],
        "reward_text": "Cash prize for the winner and a pilot in Brno",
        "reward_amount": 6000,
        "reward_currency": "EUR",
        "criteria": [
            "Targets the first ten rides of new users",
            "Can be rolled out with a firmware or app update",
            "Does not slow experienced riders down",
        ],
        "visibility": "public",
        "phase": "closed",
        "history": [("draft", -140), ("submission", -130), ("voting", -95), ("review", -70), ("refinement", -62),
                    ("prototyping", -50), ("closed", -40)],
        "plans": [("submission", -130, -95), ("voting", -95, -70), ("review", -70, -62), ("refinement", -62, -50),
                  ("prototyping", -50, -40), ("closed", -40, None)],
    },
    {
        "key": "fridge",
        "company": "lumora",
        "creator": "petra.vlckova",
        "title": "Energy labels that people actually read",
        "summary": "Draft: how could the fridge itself explain its energy use in plain words?",
        "problem": (
            "## Draft\n\n"
            "The EU energy label is accurate but few buyers understand kWh per annum. "
            "We want the fridge to show, in everyday terms, what leaving the door open "
            "or overfilling costs.\n\n"
            "_This challenge is still being prepared by the Lumora team._\n"
        ),
        "category": "energy",
        "tags": ["energy", "feedback"],
        "reward_text": "To be announced",
        "reward_amount": None,
        "reward_currency": "EUR",
        "criteria": [
            "Understood by a first-time buyer in under ten seconds",
            "No extra display hardware",
        ],
        "visibility": "public",
        "phase": "draft",
        "history": [],
        "plans": [("submission", 14, 45), ("voting", 45, 60), ("review", 60, 75)],
    },
    {
        "key": "train",
        "company": "nordlink",
        "creator": "irina.sokolova",
        "title": "Seamless Wi-Fi on high-speed trains (invited experts)",
        "summary": "Passengers lose connection every time the train switches cells. An "
                   "invite-only challenge for radio and network specialists.",
        "problem": (
            "## Confidential scope\n\n"
            "At 200 km/h the on-board router hands over between cells every 30–60 seconds. "
            "Video calls drop and VPNs reconnect. We invited a small group of radio and "
            "network engineers to propose architectures that hide these handovers from "
            "passengers.\n\n"
            "Please keep the measurements shared here within this challenge.\n"
        ),
        "category": "digital",
        "tags": ["rail", "wifi", "handover"],
        "reward_text": "Paid consulting contract for the two strongest proposals",
        "reward_amount": None,
        "reward_currency": "EUR",
        "criteria": [
            "No dropped video call on a 60-minute test journey",
            "Uses existing roof antennas where possible",
            "Fits in the current router enclosure",
        ],
        "visibility": "invite",
        "phase": "submission",
        "history": [("draft", -15), ("submission", -10)],
        "plans": [("submission", -10, 20), ("review", 20, 40), ("closed", 40, None)],
        "invited": ["alexei.ivanov", "zhao.yang", "jiri.cerny", "dmitry.smirnov", "judge.liu", "james.okafor"],
    },
]

TERMS = (
    "1. You keep the copyright of your text; you grant the company a non-exclusive "
    "licence to evaluate and develop the idea.\n"
    "2. If your idea wins, the reward is paid within 60 days; co-authors share it equally "
    "unless they agree otherwise.\n"
    "3. Do not post confidential information of third parties.\n"
    "4. The company may contact you by e-mail about your idea.\n"
)

# Ideas: challenge key, author, days ago, status, title, summary, description, tags.
# Status "shortlisted"/"declined"/"winner" gets a decision from DECISIONS.
IDEAS = [
    # ---- washer (submission) ----
    {
        "challenge": "washer", "author": "olga.petrova", "age": 11, "tags": ["drying", "airflow"],
        "title": "Тёплый обдув уплотнителя после стирки",
        "summary": "Небольшой вентилятор прогоняет тёплый воздух через манжету двери в течение "
                   "20 минут после окончания программы, пока барабан ещё горячий.",
        "description": (
            "Биоплёнка растёт там, где вода стоит часами. После стирки в складке манжеты "
            "остаётся до 30 мл воды, и дверь обычно закрыта.\n\n"
            "Предлагаю использовать остаточное тепло барабана: маленький вентилятор "
            "(как в сушильных машинах, 3–4 Вт) продувает воздух через щель в манжете и "
            "выводит влажный воздух через дренажный канал.\n\n"
            "**Энергия:** около 1,3 Вт·ч за цикл — это меньше 0,5 % годового потребления.\n\n"
            "В лаборатории я видела, что пересушенная поверхность резины почти не "
            "заселяется бактериями даже после недели без стирки."
        ),
    },
    {
        "challenge": "washer", "author": "katerina.dvorak", "age": 10, "tags": ["detergent", "drawer"],
        "title": "Samovysychací šuplík na prací prostředek",
        "summary": "Šuplík na prášek má ve dně drážky a mírný sklon, aby z něj po máchání "
                   "vytekla všechna voda a nezůstával v něm sliz.",
        "description": (
            "Největší hnus u naší pračky není těsnění, ale šuplík. Po každém praní v něm "
            "zůstane louže s rozpuštěným gelem a za dva týdny je černý.\n\n"
            "Návrh: dno šuplíku se sklonem 5° směrem do výpusti, hladký povrch bez rohů a "
            "malá drážka, která dovede poslední kapky pryč. Žádná elektronika, jen tvar.\n\n"
            "Jako bonus by šuplík mohl jít vyndat jednou rukou a dát do myčky."
        ),
    },
    {
        "challenge": "washer", "author": "zhang.min", "age": 9, "tags": ["coating", "materials"],
        "title": "门封使用含银离子抗菌涂层",
        "summary": "在门封橡胶表面增加一层含银离子的硅胶涂层，降低细菌附着，寿命覆盖整机保修期。",
        "description": (
            "门封是洗衣机里最难清洁的部件。我们实验室测试过含银离子的硅胶涂层，"
            "在潮湿环境下十二周后细菌数量比普通橡胶低约八成。\n\n"
            "涂层可以在注塑后喷涂，成本估计每台不到两欧元。需要验证的是涂层在高温"
            "和洗涤剂长期作用下是否会脱落。\n\n"
            "建议先在一百台样机上做对比试验。"
        ),
    },
    {
        "challenge": "washer", "author": "lucie.kralova", "age": 8, "tags": ["reminder", "UX"],
        "title": "Připomínka „nech dvířka pootevřená“ ve správnou chvíli",
        "summary": "Místo obecného varování v návodu displej po posledním praní dne "
                   "ukáže krátkou animaci, jak nechat dvířka pootevřená.",
        "description": (
            "Lidé neotevírají dvířka, protože o tom nevědí, nebo se bojí, že je děti "
            "otevřou úplně. Návod nikdo nečte.\n\n"
            "Pračka ví, kolik je hodin a kolikátý cyklus to dnes byl. Po posledním praní "
            "večer ukáže na displeji jednoduchou animaci a zámek dvířek nechá v poloze "
            "„na škvíru“, kterou dítě neotevře.\n\n"
            "Důležité je, aby připomínka nebyla otravná: nejvýše jednou denně a vypnutelná."
        ),
    },
    {
        "challenge": "washer", "author": "james.okafor", "age": 6, "tags": ["sensors", "maintenance"],
        "title": "Odour sensor that schedules the cleaning cycle itself",
        "summary": "A cheap VOC sensor near the sump detects the first signs of biofilm and "
                   "runs a short hot rinse the next time the machine is idle at night.",
        "description": (
            "Most people never run the drum-clean programme because they do not know when "
            "it is needed. The machine could find out.\n\n"
            "Metal-oxide VOC sensors cost under two euros and react to the compounds that "
            "bacteria in biofilm release. Placed in the air path above the sump, one could "
            "log a baseline and notice when it drifts.\n\n"
            "When it does, the washer asks once (\"Clean tonight at 2 am?\") and, if the "
            "owner agrees, runs a 60 °C rinse with no laundry. I built a prototype from an "
            "old machine and a hobby board; the signal is noisy but the trend is clear "
            "after about five weeks."
        ),
    },
    {
        "challenge": "washer", "author": "mia.novotna", "age": 5, "tags": ["design", "gasket"],
        "title": "Těsnění bez záhybu, kde stojí voda",
        "summary": "Přepracovat profil manžety tak, aby spodní záhyb měl odtokové kanálky "
                   "a voda z něj stekla zpět do bubnu.",
        "description": (
            "Na fotkách z servisu je vidět, že plíseň je skoro vždy jen ve spodní třetině "
            "těsnění, kde se drží voda.\n\n"
            "Navrhuji tři až čtyři drobné kanálky v nejnižším místě záhybu. Při otáčení "
            "bubnu by voda odtekla dovnitř a odčerpala se.\n\n"
            "Tvar by šel ověřit 3D tiskem z pružného materiálu ještě před výrobou formy."
        ),
    },
    {
        "challenge": "washer", "author": "emma.clarke", "age": 3, "tags": ["eco", "programme"],
        "title": "A monthly hot finish inside the eco programme",
        "summary": "Every twentieth eco wash ends with a three-minute 60 °C rinse, so low-"
                   "temperature washing does not feed the biofilm.",
        "description": (
            "Eco programmes at 30 °C are good for the bill but they are exactly the "
            "conditions where biofilm thrives.\n\n"
            "Instead of asking people to run a separate hot cycle, the machine could add "
            "a short hot rinse to roughly one wash in twenty. Over a year that costs about "
            "1.5 kWh, well inside the 3% limit.\n\n"
            "The display should say why it is happening so nobody thinks the machine is "
            "broken."
        ),
    },
    {
        "challenge": "washer", "author": "dmitry.smirnov", "age": 1, "tags": ["firmware", "pump"],
        "title": "Дополнительный слив через 10 минут после окончания",
        "summary": "Насос включается на несколько секунд через 10 минут после конца стирки "
                   "и откачивает воду, которая стекла со стенок в поддон.",
        "description": (
            "После стирки вода продолжает стекать по стенкам бака и собирается в поддоне "
            "насоса. Там она стоит до следующей стирки.\n\n"
            "Это чисто программное изменение: таймер в прошивке и пять секунд работы "
            "насоса. Никакого нового железа.\n\n"
            "Можно объединить с идеей обдува уплотнителя — тогда машина будет сухой "
            "почти полностью."
        ),
    },
    # ---- busstop (voting) ----
    {
        "challenge": "busstop", "author": "jiri.cerny", "age": 35, "tags": ["LoRa", "e-ink"],
        "title": "Solární e-ink tabule s LoRaWAN",
        "summary": "Malá e-ink tabule napájená solárním panelem dostává odjezdy přes LoRaWAN; "
                   "spotřeba je tak nízká, že vydrží i zimu bez slunce.",
        "description": (
            "E-ink displej spotřebovává energii jen při překreslení. Když se odjezdy "
            "aktualizují každou minutu, stačí panel velikosti A4 a malá baterie.\n\n"
            "LoRaWAN dosáhne na kilometry a brány už v regionu mají obce i distributoři "
            "energie. Zprávy jsou malé: číslo linky a zpoždění.\n\n"
            "Odhad nákladů: 180 € za zařízení, 20 € ročně za provoz brány. Tlačítko "
            "nouzového volání by šlo přes stejnou síť jako krátká zpráva dispečinku."
        ),
    },
    {
        "challenge": "busstop", "author": "daniel.reyes", "age": 33, "tags": ["SMS", "feature phones"],
        "title": "Text the stop number, get the next bus",
        "summary": "Every stop gets a short number on its sign; sending it by SMS returns "
                   "the next two departures with live delays.",
        "description": (
            "The cheapest connected bus stop is one that needs no hardware at all.\n\n"
            "Older riders in villages often carry basic phones. A sticker with a four-digit "
            "stop code and a short SMS number costs almost nothing, and our real-time "
            "system already knows the delays.\n\n"
            "Where there is no signal at the stop, there is usually signal at home, so "
            "people can check before they leave. I drove buses for nine years and most "
            "waiting-time complaints would disappear with this alone."
        ),
    },
    {
        "challenge": "busstop", "author": "sergey.volkov", "age": 30, "tags": ["driver app", "data"],
        "title": "Водитель как ретранслятор данных",
        "summary": "Планшет водителя собирает данные о задержках и передаёт их на "
                   "остановки по Bluetooth, когда автобус проезжает мимо.",
        "description": (
            "На маршруте есть остановки без связи, но автобусы проезжают их каждый час. "
            "Планшет водителя знает расписание и задержки всех машин на линии.\n\n"
            "Когда автобус проезжает остановку, он передаёт свежие данные на табло по "
            "Bluetooth Low Energy. Обратно табло отдаёт статистику: нажатия кнопки, "
            "заряд батареи.\n\n"
            "Минус — данные устаревают между рейсами, но для сельских линий с "
            "интервалом в час этого достаточно."
        ),
    },
    {
        "challenge": "busstop", "author": "zhao.yang", "age": 28, "tags": ["satellite", "emergency"],
        "title": "用卫星短报文实现紧急呼叫",
        "summary": "在没有信号的站点安装支持卫星短报文的紧急按钮，按下后向调度中心发送位置和求助信息。",
        "description": (
            "偏远站点最重要的是安全。手机没有信号时，乘客无法求助。\n\n"
            "现在低轨卫星短报文模块价格已经降到一百欧元以内，功耗也很低。"
            "按钮按下后发送站点编号和时间，调度中心收到后可以联系最近的车辆或急救。\n\n"
            "这个方案可以和电子墨水屏结合，但即使单独使用也很有价值。"
        ),
    },
    {
        "challenge": "busstop", "author": "marek.prochazka", "age": 25, "tags": ["community", "volunteers"],
        "title": "Obecní „kmotři zastávek“",
        "summary": "Dobrovolník z vesnice se stará o zastávku: hlásí poruchy, vyměňuje "
                   "jízdní řád a dostává za to roční jízdenku.",
        "description": (
            "Technika se rozbije a na vesnici k ní nikdo nepřijede dřív než za týden.\n\n"
            "V mnoha obcích jsou lidé, kteří by rádi pomohli. Kmotr zastávky má v "
            "aplikaci seznam svých zastávek, nahlásí rozbité sklo nebo vybitý displej a "
            "jednou za čas očistí solární panel.\n\n"
            "Odměna: roční jízdenka zdarma. Náklady jsou zanedbatelné, dopad velký."
        ),
    },
    {
        "challenge": "busstop", "author": "li.na", "age": 22, "tags": ["accessibility", "audio"],
        "title": "站牌上的语音播报按钮",
        "summary": "为视力不好的老年乘客增加一个按钮，按下后用语音播报下一班车的到站时间。",
        "description": (
            "农村站点的乘客中老年人很多，很多人看不清小屏幕。\n\n"
            "一个按钮加一个小喇叭，成本不到二十欧元，却能让所有人都听到下一班车"
            "什么时候到。语音可以用当地语言。\n\n"
            "按钮的使用次数也能告诉运营方哪些站点真正有人在等车。"
        ),
    },
    {
        "challenge": "busstop", "author": "hannah.berg", "age": 20, "tags": ["hardware", "maintenance"],
        "title": "One sealed module, swapped not repaired",
        "summary": "Design the stop display as a sealed, hot-swappable module so a driver "
                   "can replace a broken one in two minutes during a layover.",
        "description": (
            "Maintenance, not hardware, will blow the €300 budget. A technician's visit to "
            "a remote stop costs more than the device.\n\n"
            "If the display, battery and radio are one sealed box that clicks onto a "
            "standard bracket, a driver can carry spares and swap a faulty unit. Broken "
            "modules go back to the depot in batches.\n\n"
            "This works with any of the display ideas in this challenge."
        ),
    },
    # ---- dishwasher (review) ----
    {
        "challenge": "dishwasher", "author": "wang.lei", "age": 58, "status": "shortlisted",
        "tags": ["pump", "vibration"], "revised": True,
        "title": "排水泵悬浮安装，切断振动传递",
        "summary": "用硅胶减振座把排水泵和底座隔开，避免泵的高频啸叫通过机身传到橱柜。",
        "description": (
            "排水泵的啸叫是最让人烦躁的声音，因为它是单一频率的，大约在两百赫兹附近。"
            "问题不在泵本身，而是振动通过金属底座传给了整个橱柜。\n\n"
            "我建议用两个邵氏硬度四十左右的硅胶减振座悬挂泵体，并把出水管换成一小段"
            "波纹软管。成本约三欧元。\n\n"
            "我在家里的洗碗机上做了实验，用手机测得的峰值降低了约六分贝，"
            "主观感受差别更大。"
        ),
    },
    {
        "challenge": "dishwasher", "author": "hannah.berg", "age": 55, "status": "shortlisted",
        "tags": ["pump", "control"],
        "title": "Ramp the drain pump instead of switching it on",
        "summary": "Drive the drain pump with a soft-start profile so the whine rises "
                   "slowly and the gurgle at the end is avoided.",
        "description": (
            "Half of what people hate about the drain is the sudden start and the slurping "
            "sound when the sump runs empty.\n\n"
            "A BLDC drain pump can be ramped over two seconds and slowed down as the level "
            "sensor reports the sump is nearly empty, so it never sucks air.\n\n"
            "Most of our newer boards already drive BLDC pumps; this is a firmware change "
            "plus a better level reading."
        ),
    },
    {
        "challenge": "dishwasher", "author": "natalia.kuznetsova", "age": 52, "status": "shortlisted",
        "tags": ["programme", "night mode"], "revised": True,
        "title": "Режим «кино»: шумные фазы переносятся",
        "summary": "Пользователь одной кнопкой сообщает, что смотрит фильм, и машина "
                   "откладывает слив и сушку с вентилятором на потом.",
        "description": (
            "Не все звуки нужно убирать — некоторые можно перенести. Мойка сама по себе "
            "тихая, мешают слив и сушка.\n\n"
            "Режим «кино» держит воду в машине до конца фильма (или максимум два часа) и "
            "только потом сливает её. Сушка вентилятором тоже откладывается.\n\n"
            "Кнопка может быть в приложении или на панели. Мы проверили в опросе среди "
            "знакомых: 14 из 20 воспользовались бы этим."
        ),
    },
    {
        "challenge": "dishwasher", "author": "ondrej.svoboda", "age": 50, "status": "declined",
        "tags": ["insulation"],
        "title": "Dvojitá vrstva bitumenové izolace",
        "summary": "Přidat druhou vrstvu těžké izolace na boky a strop vany.",
        "description": (
            "Nejjednodušší cesta ke ztišení je hmota. Bitumenové desky na bocích už myčky "
            "mají, ale jen jednu tenkou vrstvu.\n\n"
            "Druhá vrstva by snížila přenos hluku z ostřikovacích ramen o několik dB.\n\n"
            "Nevýhoda je hmotnost navíc, asi 3 kg."
        ),
    },
    {
        "challenge": "dishwasher", "author": "sophie.martin", "age": 47, "status": "declined",
        "tags": ["dosing", "accessibility"],
        "title": "A silent dosing flap with a magnetic latch",
        "summary": "Replace the spring-loaded detergent flap with a magnetically held one "
                   "that opens with a soft push instead of a loud click.",
        "description": (
            "The click of the dosing flap halfway through the programme startles people, "
            "and it is hard to close for anyone with weak hands.\n\n"
            "A magnetic latch released by a small solenoid would open quietly and close "
            "with almost no force.\n\n"
            "It would make the machine easier to use for people with arthritis, too."
        ),
    },
    {
        "challenge": "dishwasher", "author": "huang.xin", "age": 44, "status": "shortlisted",
        "tags": ["spray arm", "water"],
        "title": "喷淋臂避开门板的喷射角度",
        "summary": "调整喷淋臂出水孔的角度，让水流不直接打在内门板上，减少“哗哗”的拍打声。",
        "description": (
            "晚上最清楚的声音其实是水打在门板上的声音，而门板正对着客厅。\n\n"
            "如果把上喷淋臂最外侧的两个出水孔向内偏转十度，水流仍然覆盖餐具，"
            "但不再直接冲击门板。\n\n"
            "这只需要修改一个注塑件，几乎没有额外成本。"
        ),
    },
    {
        "challenge": "dishwasher", "author": "alexei.ivanov", "age": 40, "status": "shortlisted",
        "tags": ["active noise control"],
        "title": "Активное шумоподавление в цоколе",
        "summary": "Микрофон и маленький динамик в цоколе гасят тональный гул насоса "
                   "противофазным сигналом.",
        "description": (
            "Тональный шум на одной частоте хорошо подавляется активно — так работают "
            "наушники.\n\n"
            "Цоколь машины — закрытый объём, туда можно поставить недорогой динамик и "
            "микрофон. Алгоритм отслеживает частоту насоса и генерирует противофазу.\n\n"
            "Риск — стоимость и надёжность, но для премиальной линейки может быть "
            "интересно."
        ),
    },
    # ---- scooter (closed) ----
    {
        "challenge": "scooter", "author": "oliver.grant", "age": 125, "status": "winner",
        "tags": ["onboarding", "speed limit"], "revised": True,
        "title": "Training wheels mode: a gentle speed curve for the first ten rides",
        "summary": "New riders get a capped top speed and softer acceleration that lift "
                   "step by step over their first ten rides, with a clear progress bar.",
        "description": (
            "Beginners crash because the scooter is faster and jumpier than they expect, "
            "not because they ride recklessly.\n\n"
            "For the first ten rides the firmware caps speed at 15 km/h and softens the "
            "throttle map. Each completed ride without hard braking unlocks the next level "
            "until the full 25 km/h is available. The app shows a small progress bar so "
            "it feels like a game, not a punishment.\n\n"
            "Experienced riders transferring from another city can skip it with a short "
            "quiz.\n\n"
            "Everything here is a firmware and app change: no new hardware."
        ),
    },
    {
        "challenge": "scooter", "author": "li.na", "age": 120, "status": "shortlisted",
        "tags": ["tram rails", "maps"],
        "title": "电车轨道危险路段提醒",
        "summary": "根据事故数据标注电车轨道与车道斜交的危险点，骑行接近时在车把上震动提醒。",
        "description": (
            "很多事故发生在车轮卡进电车轨道的时候，尤其是下雨天。\n\n"
            "这些地点是固定的，可以从事故数据和城市地图里找出来。"
            "当滑板车以较小角度接近轨道时，车把轻微震动，并在应用里提示“请垂直穿过轨道”。\n\n"
            "雨天可以把提醒范围扩大。"
        ),
    },
    {
        "challenge": "scooter", "author": "marek.prochazka", "age": 118, "status": "shortlisted",
        "tags": ["lights", "night"],
        "title": "Automatické světlo podle okolního jasu",
        "summary": "Světla se zapínají sama a v noci koloběžka svítí i do stran, aby byla "
                   "vidět na křižovatkách.",
        "description": (
            "Půlka nočních nehod je o tom, že koloběžku auto prostě nevidí.\n\n"
            "Senzor jasu zapne přední i zadní světlo automaticky. Navíc by boční LED pásek "
            "na desce udělal koloběžku viditelnou z boku.\n\n"
            "Spotřeba je malá a nic se nemusí nastavovat."
        ),
    },
    {
        "challenge": "scooter", "author": "sergey.volkov", "age": 110, "status": "declined",
        "tags": ["insurance"],
        "title": "Страховка поездки по подписке",
        "summary": "Пользователь за небольшую доплату получает страховку от травм на "
                   "каждую поездку.",
        "description": (
            "Безопасность — это ещё и то, что происходит после аварии.\n\n"
            "Страховка на поездку стоит копейки, а для пострадавшего важна.\n\n"
            "Можно договориться со страховой компанией о пакетной цене."
        ),
    },
    {
        "challenge": "scooter", "author": "katerina.dvorak", "age": 105, "status": "declined",
        "tags": ["helmet"],
        "title": "Povinná helma s NFC čipem",
        "summary": "Koloběžku nejde odemknout, dokud se k ní nepřiloží helma s čipem.",
        "description": (
            "Helma zachrání nejvíc zranění hlavy.\n\n"
            "Sdílené helmy s NFC čipem by byly v držáku na koloběžce a jízda by šla "
            "spustit až po jejich vyjmutí.\n\n"
            "Vím, že hygiena je problém, ale existují jednorázové vložky."
        ),
    },
    {
        "challenge": "scooter", "author": "daniel.reyes", "age": 100, "status": "declined",
        "tags": ["braking", "data"],
        "title": "Flag hard-braking hot spots for the city",
        "summary": "Aggregate anonymous hard-braking events into a monthly map for the "
                   "city's traffic department.",
        "description": (
            "Every hard brake is a near miss. Thousands of them together show where the "
            "street design is dangerous.\n\n"
            "We already receive braking data from the fleet. A monthly heat map, "
            "anonymised to street segments, could go to the city.\n\n"
            "It will not change the first ten rides directly, but it fixes the places "
            "where those rides go wrong."
        ),
    },
    # ---- train (invite-only, submission) ----
    {
        "challenge": "train", "author": "alexei.ivanov", "age": 8, "tags": ["multipath", "bonding"],
        "title": "Агрегация нескольких операторов с многопутевым TCP",
        "summary": "Роутер держит соединения с двумя-тремя операторами одновременно и "
                   "распределяет трафик через туннель с MPTCP, скрывая хэндовер.",
        "description": (
            "Хэндоверы у разных операторов происходят в разных местах, потому что их "
            "вышки стоят по-разному. Если держать два-три канала одновременно, в каждый "
            "момент хотя бы один работает.\n\n"
            "Трафик пассажиров идёт через туннель до нашего шлюза в дата-центре. "
            "Внутри туннеля MPTCP перераспределяет пакеты, и для пассажира соединение "
            "не рвётся.\n\n"
            "Антенны на крыше уже есть, нужны дополнительные модемы."
        ),
    },
    {
        "challenge": "train", "author": "zhao.yang", "age": 7, "tags": ["prediction", "GPS"],
        "title": "基于线路位置的预测切换",
        "summary": "列车线路固定，可以根据GPS位置和历史数据提前切换到下一个小区，避免临时掉线。",
        "description": (
            "高铁的轨迹是已知的，每次经过同一段线路时信号变化也基本一致。\n\n"
            "我们可以记录每个位置最好的小区，形成一张“切换地图”。"
            "路由器根据位置提前几秒准备切换，而不是等信号变差再反应。\n\n"
            "在我参与过的试验中，这种方法让掉线次数减少了一半以上。"
        ),
    },
    {
        "challenge": "train", "author": "jiri.cerny", "age": 5, "tags": ["caching", "video"],
        "title": "Lokální cache ve vlaku pro video a aktualizace",
        "summary": "Server ve voze ukládá populární obsah a aktualizace, aby přes mobilní "
                   "síť šlo jen to, co je opravdu potřeba.",
        "description": (
            "Velká část provozu ve vlaku jsou videa a aktualizace telefonů. Když se "
            "stáhnou jednou do cache ve vlaku, výpadky při předávání buněk tolik nebolí.\n\n"
            "Cache by se plnila v depu přes Wi-Fi během noci.\n\n"
            "Neřeší to videohovory, ale uvolní kapacitu pro ně."
        ),
    },
    {
        "challenge": "train", "author": "james.okafor", "age": 2, "tags": ["antenna", "hardware"],
        "title": "Two roof antennas, a carriage apart",
        "summary": "Use antennas at both ends of the train so the front one joins the new "
                   "cell before the rear one leaves the old cell.",
        "description": (
            "A 200-metre train is long enough to be in two cells at once. If the front "
            "router connects to the next cell while the rear is still on the current one, "
            "the handover can happen without a gap.\n\n"
            "This needs a backbone link along the train, which most modern sets already "
            "have for their passenger information system.\n\n"
            "Combined with multipath bonding this should keep calls alive."
        ),
    },
]

# title -> (reason), for ideas whose status is not "submitted".
DECISIONS = {
    "喷淋臂避开门板的喷射角度": "A cheap change to a part we mould anyway; we want to hear "
    "how much of the splashing noise it really removes.",
    "Активное шумоподавление в цоколе": "Bold. The panel will tell us whether the cost fits; the "
    "pump's tonal hum is exactly what active control is good at.",
    "Flag hard-braking hot spots for the city": (
        "Not shortlisted this time: a valuable idea for city partnerships, but it does not change "
        "the first ten rides this challenge is about. We passed it to our city team."
    ),
    "排水泵悬浮安装，切断振动传递": "Cheap, measurable and tested at home already. We will repeat "
    "the measurement in our acoustic chamber.",
    "Ramp the drain pump instead of switching it on": "A firmware-only change on most current "
    "boards; strong fit with the cost criterion.",
    "Режим «кино»: шумные фазы переносятся": "Nice reframing: moving noise instead of removing it. "
    "We want to test how long water can safely stay in the sump.",
    "Dvojitá vrstva bitumenové izolace": "Thank you! We tested thicker insulation last year: it "
    "helps with broadband noise but not with the tonal whine, and 3 kg more weight "
    "raises shipping costs.",
    "A silent dosing flap with a magnetic latch": "We love the accessibility angle, but the "
    "solenoid adds about €9 and a new failure point. We passed the idea to our "
    "accessibility team for the next platform.",
    "Training wheels mode: a gentle speed curve for the first ten rides": "Targets exactly "
    "the first ten rides, ships as a firmware update, and riders in the test group loved "
    "the progress bar. The Brno pilot starts next month.",
    "电车轨道危险路段提醒": "Strong use of crash data; will be part of the Brno pilot.",
    "Automatické světlo podle okolního jasu": "Simple and effective; lighting is already "
    "scheduled for the next hardware revision.",
    "Страховка поездки по подписке": "An interesting business idea, but it does not reduce "
    "crashes, which is what this challenge is about.",
    "Povinná helma s NFC čipem": "Shared helmets failed in two earlier pilots for hygiene and "
    "theft reasons. Thank you for the detailed proposal.",
}

COMMENTS = {
    "en": [
        "How would this behave when it is used many times a day?",
        "I like that this needs no new hardware. Has anyone estimated the cost per unit?",
        "We tried something similar at my old job and maintenance was the hard part.",
        "Could this be combined with one of the other ideas here? They seem to fit together.",
        "What happens when the sensor or battery fails after a few years?",
        "Simple and practical. This is the kind of idea that actually ships.",
        "I am not convinced people will notice the difference. Is there any data?",
        "Great write-up, the numbers make it easy to judge.",
    ],
    "cs": [
        "Tohle by u nás fungovalo, jen bych se bál o spolehlivost v zimě.",
        "Máte představu, kolik by to stálo na jeden kus?",
        "Pěkný nápad, zkoušel to už někdo v praxi?",
        "Souhlasím, nejjednodušší řešení bývají nejlepší.",
        "Co když se to rozbije? Kdo to bude opravovat?",
        "Doplnil bych ještě jednoduchý návod na displeji.",
    ],
    "ru": [
        "Интересно, как это поведёт себя через пару лет эксплуатации?",
        "Хорошая идея, но нужна оценка стоимости.",
        "Мы пробовали похожее на даче, работает, если не забывать обслуживать.",
        "Поддерживаю! Это можно сделать без изменения конструкции.",
        "Есть ли риск, что пользователи просто отключат эту функцию?",
        "Отличное описание, всё понятно с первого раза.",
    ],
    "zh": [
        "这个想法很实用，成本估算有依据吗？",
        "我也遇到过同样的问题，支持！",
        "如果和其他方案结合效果可能更好。",
        "长期使用后的可靠性怎么样？",
        "描述得很清楚，希望能看到原型。",
        "冬天或者下雨天会不会有影响？",
    ],
}

REPLIES = {
    "en": [
        "@{author} good question, I was wondering the same.",
        "@{author} fair point, I had not thought about that.",
        "Agreed with @{author}, a small pilot would settle it.",
    ],
    "cs": [
        "@{author} dobrá otázka, taky mě to zajímá.",
        "Souhlas s @{author}, chtělo by to malý pilot.",
    ],
    "ru": [
        "@{author} хороший вопрос, мне тоже интересно.",
        "@{author} согласен, стоит проверить на пилоте.",
    ],
    "zh": [
        "@{author} 好问题，我也想知道。",
        "@{author} 同意，可以先做一个小规模试点。",
    ],
}

AUTHOR_ANSWERS = {
    "en": "@{asker} thanks for asking! I will add more detail on that to the description this week.",
    "cs": "@{asker} díky za otázku! Podrobnosti doplním do popisu během týdne.",
    "ru": "@{asker} спасибо за вопрос! На этой неделе добавлю подробности в описание.",
    "zh": "@{asker} 谢谢提问！这周我会在描述里补充更多细节。",
}

SPAM = "Cheap phone chargers and solar kits, best prices in town, message me!"

REVISION_NOTE = {
    "en": "\n\n**Update:** added measurements after feedback from the community.",
    "cs": "\n\n**Doplnění:** přidal jsem měření podle připomínek z komunity.",
    "ru": "\n\n**Дополнение:** добавил измерения по отзывам сообщества.",
    "zh": "\n\n**更新：** 根据社区反馈补充了测量数据。",
}

# Comments that only make sense in one challenge: (language, text).
TOPICAL = {
    "washer": [
        ("en", "Would this still work in hard-water areas? Limescale loves rubber seals."),
        ("en", "My towels smell after a week of 30 °C washes, so yes please."),
        ("cs", "U nás je tvrdá voda, zajímalo by mě, jestli se drážky nezanesou vodním kamenem."),
        ("ru", "Биоплёнка в уплотнителе — главный источник запаха, полностью согласна."),
        ("zh", "可以和门封抗菌涂层一起做对比试验。"),
    ],
    "busstop": [
        ("en", "In winter the solar panel will be under snow for weeks. Has anyone sized the battery?"),
        ("cs", "Na naší zastávce není signál ani pro SMS, takže bych kombinoval víc řešení."),
        ("ru", "Для пожилых пассажиров голосовое сообщение важнее любого экрана."),
        ("zh", "农村站点的维护成本要算进每年三百欧元里。"),
        ("en", "Vandalism is the real enemy at remote stops. Keep it small and boring-looking."),
    ],
    "dishwasher": [
        ("en", "The pump whine is exactly what I hear from the sofa. Would love a listening test."),
        ("cs", "Klapnutí dávkovače mě v noci vždycky vyleká, dobrý postřeh."),
        ("ru", "Интересно, сколько воды можно держать в машине без запаха?"),
        ("zh", "两百赫兹左右的啸叫确实最烦人，减振是对的方向。"),
    ],
    "scooter": [
        ("en", "Tram rails got me in my second week. A warning would have helped."),
        ("cs", "Pomalejší první jízdy dávají smysl, jen aby to šlo přeskočit zkušeným."),
        ("ru", "Данные о резком торможении — золото для городских властей."),
        ("zh", "夜间侧面照明非常重要，路口的汽车经常看不到滑板车。"),
    ],
    "train": [
        ("en", "Bonding helps only if the carriers' handovers are not in the same places. Do we have logs?"),
        ("ru", "На нашем тестовом маршруте хэндоверы операторов почти не совпадают."),
        ("zh", "预测切换的地图需要定期更新，基站会变化。"),
        ("cs", "Cache v depu je levná, ale musí se hlídat licence obsahu."),
    ],
}

# Notification texts in the recipient's language.
NOTIFY = {
    "idea_shortlisted": {
        "en": 'Good news: your idea "{title}" was shortlisted.',
        "cs": "Dobrá zpráva: váš nápad „{title}“ postoupil do užšího výběru.",
        "ru": "Хорошая новость: ваша идея «{title}» попала в шорт-лист.",
        "zh": "好消息：您的创意「{title}」已入围。",
    },
    "idea_declined": {
        "en": 'Your idea "{title}" was declined. Feedback: {reason}',
        "cs": "Váš nápad „{title}“ nebyl vybrán. Zpětná vazba: {reason}",
        "ru": "Ваша идея «{title}» отклонена. Отзыв: {reason}",
        "zh": "您的创意「{title}」未被采纳。反馈：{reason}",
    },
    "idea_winner": {
        "en": 'Congratulations: your idea "{title}" is a winner!',
        "cs": "Gratulujeme: váš nápad „{title}“ zvítězil!",
        "ru": "Поздравляем: ваша идея «{title}» победила!",
        "zh": "恭喜：您的创意「{title}」获胜！",
    },
    "mention": {
        "en": '{name} mentioned you in a comment on "{title}".',
        "cs": "{name} vás zmínil(a) v komentáři u „{title}“.",
        "ru": "{name} упомянул(а) вас в комментарии к «{title}».",
        "zh": "{name} 在「{title}」的评论中提到了您。",
    },
}


# ---- judging ------------------------------------------------------------------------
# The review challenge's panel is part-way through: Jan Novák has scored everything,
# Sarah Mitchell too but she is clearly harsher, 刘芳 has submitted two and keeps a draft.
# The closed challenge's judging is published: its authors read the comments.
# Scores are per idea (by title) and per rubric line (the challenge's criteria, then
# "Feasibility" on 1-10); None: not scored yet.
JUDGING = {
    "dishwasher": {
        "blind": True, "per_idea": 3, "published": False,
        "extra_criterion": ("Feasibility", "Can our factory build it within a year?", 1.0, 1, 10),
        "cards": {
            "judge.novak": {
                "排水泵悬浮安装，切断振动传递": ([5, 4, 8], "submitted", "Měření doma je přesvědčivé; zopakujte ho v komoře a idea je hotová.", ""),
                "Ramp the drain pump instead of switching it on": ([4, 5, 9], "submitted", "Elegant and almost free on BLDC boards.", ""),
                "Режим «кино»: шумные фазы переносятся": ([3, 5, 7], "submitted", "A clever reframing; check hygiene rules for standing water.", "Check with the hygiene lab before any promise."),
                "喷淋臂避开门板的喷射角度": ([3, 4, 8], "submitted", "Worth a quick CFD run.", ""),
                "Активное шумоподавление в цоколе": ([4, 2, 4], "submitted", "Works on tonal noise, but the electronics cost too much today.", "Ask Tomáš about the new DSP price."),
            },
            "judge.mitchell": {
                "排水泵悬浮安装，切断振动传递": ([2, 2, 5], "submitted", "Promising, but show me the chamber numbers.", ""),
                "Ramp the drain pump instead of switching it on": ([2, 3, 5], "submitted", "Good, but people still hear the whine once it runs.", ""),
                "Режим «кино»: шумные фазы переносятся": ([3, 2, 6], "submitted", "The best of the lot for me: a delay people choose is a delay they accept.", "Check the smell risk of standing water."),
                "喷淋臂避开门板的喷射角度": ([2, 2, 4], "submitted", "Small gain, small cost.", ""),
                "Активное шумоподавление в цоколе": ([1, 1, 2], "submitted", "Too expensive for this product line.", ""),
            },
            "judge.liu": {
                "排水泵悬浮安装，切断振动传递": ([4, 4, 8], "submitted", "减振座方案简单可靠，建议尽快做样机。", ""),
                "Ramp the drain pump instead of switching it on": ([4, 4, 7], "submitted", "固件改动即可实现，很实用。", ""),
                "Режим «кино»: шумные фазы переносятся": ([4, None, None], "draft", "", ""),
            },
        },
    },
    "scooter": {
        "blind": False, "per_idea": 3, "published": True,
        "extra_criterion": None,
        "cards": {
            "judge.novak": {
                "Training wheels mode: a gentle speed curve for the first ten rides": ([5, 5, 4], "submitted", "Simple and measurable; the pilot should track crashes per ride.", ""),
                "电车轨道危险路段提醒": ([4, 2, 4], "submitted", "Needs a map of the rails; hard to roll out by update alone.", ""),
                "Automatické světlo podle okolního jasu": ([3, 3, 3], "submitted", "Interesting, but the light sensor data is noisy.", ""),
            },
            "judge.mitchell": {
                "Training wheels mode: a gentle speed curve for the first ten rides": ([4, 5, 4], "submitted", "Make the limit feel like a welcome, not a punishment.", ""),
                "电车轨道危险路段提醒": ([3, 2, 3], "submitted", "I like the haptics; the rail data is the hard part.", ""),
                "Automatické světlo podle okolního jasu": ([2, 3, 2], "submitted", "", "Not convinced the hardware can do it."),
            },
            "judge.liu": {
                "Training wheels mode: a gentle speed curve for the first ten rides": ([5, 4, 5], "submitted", "新手模式很有效，建议与保险公司合作。", ""),
                "电车轨道危险路段提醒": ([4, 3, 3], "submitted", "触觉提示对骑行者很友好。", ""),
                "Automatické světlo podle okolního jasu": ([3, 2, 3], "submitted", "传感器噪声需要进一步验证。", ""),
            },
        },
    },
}
