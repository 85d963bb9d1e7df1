"""Seeded vocabulary of the benchmark generator: names and texts in Ukrainian, English and Spanish.

Every function takes the generator's ``random.Random`` and returns plain strings, so the same seed
gives the same texts. Residents write in their own language (``locale``); facilitators write in
Ukrainian, with English and Spanish translations where the model keeps several languages.
"""
from __future__ import annotations

import random

LOCALES = ("uk", "en", "es")

# --- People ----------------------------------------------------------------------------------------

UK_MEN = [("Олександр", "oleksandr"), ("Андрій", "andrii"), ("Дмитро", "dmytro"), ("Іван", "ivan"),
          ("Тарас", "taras"), ("Микола", "mykola"), ("Сергій", "serhii"), ("Юрій", "yurii"), ("Богдан", "bohdan"),
          ("Олег", "oleh"), ("Василь", "vasyl"), ("Максим", "maksym"), ("Артем", "artem"),
          ("Володимир", "volodymyr"), ("Петро", "petro"), ("Ярослав", "yaroslav"), ("Віталій", "vitalii"),
          ("Роман", "roman"), ("Євген", "yevhen"), ("Михайло", "mykhailo")]
UK_WOMEN = [("Олена", "olena"), ("Марія", "mariia"), ("Наталія", "nataliia"), ("Ірина", "iryna"),
            ("Оксана", "oksana"), ("Тетяна", "tetiana"), ("Юлія", "yuliia"), ("Анна", "anna"),
            ("Катерина", "kateryna"), ("Ольга", "olha"), ("Світлана", "svitlana"), ("Лілія", "liliia"),
            ("Галина", "halyna"), ("Вікторія", "viktoriia"), ("Софія", "sofiia"), ("Дарина", "daryna"),
            ("Христина", "khrystyna"), ("Людмила", "liudmyla"), ("Ганна", "hanna"), ("Зоряна", "zoriana")]
# (for men, for women, in Latin letters for men, for women)
UK_SURNAMES = [(s, s, l, l) for s, l in [
    ("Шевченко", "shevchenko"), ("Коваленко", "kovalenko"), ("Бондаренко", "bondarenko"), ("Ткаченко", "tkachenko"),
    ("Кравченко", "kravchenko"), ("Олійник", "oliinyk"), ("Мельник", "melnyk"), ("Поліщук", "polishchuk"),
    ("Бойко", "boiko"), ("Лисенко", "lysenko"), ("Савчук", "savchuk"), ("Руденко", "rudenko"),
    ("Марченко", "marchenko"), ("Петренко", "petrenko"), ("Мороз", "moroz"), ("Гончаренко", "honcharenko"),
    ("Павленко", "pavlenko"), ("Кузьменко", "kuzmenko"), ("Левченко", "levchenko"), ("Остапчук", "ostapchuk"),
    ("Харченко", "kharchenko"), ("Гнатюк", "hnatiuk"), ("Романюк", "romaniuk"), ("Кушнір", "kushnir"),
    ("Сидоренко", "sydorenko"), ("Литвиненко", "lytvynenko"), ("Зінченко", "zinchenko"), ("Ковальчук", "kovalchuk"),
]] + [
    ("Ковальський", "Ковальська", "kovalskyi", "kovalska"), ("Вишневський", "Вишневська", "vyshnevskyi", "vyshnevska"),
    ("Білецький", "Білецька", "biletskyi", "biletska"), ("Яворський", "Яворська", "yavorskyi", "yavorska"),
]
EN_FIRST = ["James", "Emma", "Oliver", "Sophie", "Daniel", "Charlotte", "Thomas", "Hannah", "William", "Grace",
            "Michael", "Amelia", "George", "Lucy", "Samuel", "Olivia", "Jack", "Emily", "Henry", "Chloe"]
EN_LAST = ["Smith", "Walker", "Taylor", "Brown", "Wilson", "Evans", "Roberts", "Johnson", "Wright", "Thompson",
           "Hughes", "Green", "Clarke", "Hall", "Turner", "Cooper", "Baker", "Bennett", "Collins", "Murphy"]
ES_FIRST = [("María", "maria"), ("José", "jose"), ("Lucía", "lucia"), ("Javier", "javier"), ("Carmen", "carmen"),
            ("Alejandro", "alejandro"), ("Sofía", "sofia"), ("Pablo", "pablo"), ("Elena", "elena"), ("Diego", "diego"),
            ("Laura", "laura"), ("Andrés", "andres"), ("Isabel", "isabel"), ("Miguel", "miguel"), ("Paula", "paula"),
            ("Carlos", "carlos"), ("Ana", "ana"), ("Sergio", "sergio"), ("Marta", "marta"), ("Raúl", "raul")]
ES_LAST = [("García", "garcia"), ("Martínez", "martinez"), ("López", "lopez"), ("Sánchez", "sanchez"),
           ("Pérez", "perez"), ("Gómez", "gomez"), ("Fernández", "fernandez"), ("Ruiz", "ruiz"), ("Díaz", "diaz"),
           ("Moreno", "moreno"), ("Álvarez", "alvarez"), ("Romero", "romero"), ("Navarro", "navarro"),
           ("Torres", "torres"), ("Domínguez", "dominguez"), ("Vázquez", "vazquez"), ("Ramos", "ramos"),
           ("Gil", "gil"), ("Serrano", "serrano"), ("Molina", "molina")]


def person(rng: random.Random, locale: str) -> tuple[str, str]:
    """(display name, an ASCII stem for the email address) of someone writing in ``locale``."""
    if locale == "uk":
        woman = rng.random() < 0.52
        first, first_latin = rng.choice(UK_WOMEN if woman else UK_MEN)
        man_name, woman_name, man_latin, woman_latin = rng.choice(UK_SURNAMES)
        last, last_latin = (woman_name, woman_latin) if woman else (man_name, man_latin)
        return f"{first} {last}", f"{first_latin}.{last_latin}"
    if locale == "es":
        (first, first_ascii), (last, last_ascii), (second, _) = (rng.choice(ES_FIRST), rng.choice(ES_LAST),
                                                                 rng.choice(ES_LAST))
        return f"{first} {last} {second}", f"{first_ascii}.{last_ascii}"
    first, last = rng.choice(EN_FIRST), rng.choice(EN_LAST)
    return f"{first} {last}", f"{first.lower()}.{last.lower()}"


# --- Topics and proposals --------------------------------------------------------------------------

TOPIC_NAMES = {
    "transport": "Транспорт і мобільність", "parks": "Парки та зелені зони", "schools": "Освіта і школи",
    "open_data": "Відкриті дані", "budget": "Бюджет і прозорість", "accessibility": "Доступність міста",
    "housing": "Житло і комунальні послуги", "culture": "Культура і спадщина", "e_services": "Електронні послуги",
    "safety": "Безпека та укриття", "environment": "Екологія і чисте повітря", "youth": "Молодь і спорт",
}

# What a proposal asks for, by topic and language (the start of its title).
ASKS = {
    "transport": {
        "uk": ["Облаштувати захищену велодоріжку", "Продовжити маршрут тролейбуса", "Встановити світлофор із кнопкою виклику",
               "Запровадити смугу для громадського транспорту", "Збудувати наземний пішохідний перехід",
               "Відремонтувати тротуари й зупинки"],
        "en": ["Build a protected bike lane", "Extend the trolleybus route", "Install a pedestrian-activated traffic light",
               "Create a bus-only lane", "Add a safe street-level pedestrian crossing", "Repair the pavements and bus stops"],
        "es": ["Construir un carril bici protegido", "Ampliar la línea de trolebús", "Instalar un semáforo con pulsador",
               "Crear un carril exclusivo para autobuses", "Abrir un paso de peatones a nivel de calle",
               "Reparar las aceras y las paradas"],
    },
    "parks": {
        "uk": ["Висадити дерева і створити сквер", "Облаштувати дитячий майданчик", "Встановити лавки та питні фонтанчики",
               "Відновити освітлення парку", "Створити зону для вигулу собак", "Розчистити береги озера"],
        "en": ["Plant trees and create a small square", "Build an inclusive playground", "Install benches and drinking fountains",
               "Restore the lighting of the park", "Open a fenced dog park", "Clean up the lake shore"],
        "es": ["Plantar árboles y crear una plaza", "Construir un parque infantil inclusivo", "Instalar bancos y fuentes de agua",
               "Renovar la iluminación del parque", "Habilitar un parque para perros", "Limpiar la orilla del lago"],
    },
    "schools": {
        "uk": ["Облаштувати укриття в школі", "Відкрити STEM-лабораторію", "Замінити вікна у спортивній залі",
               "Запровадити гарячі сніданки", "Створити інклюзивний ресурсний клас", "Оновити шкільну бібліотеку"],
        "en": ["Equip a shelter in the school", "Open a STEM laboratory", "Replace the windows of the school gym",
               "Provide hot breakfasts", "Set up an inclusive resource classroom", "Renew the school library"],
        "es": ["Habilitar un refugio en la escuela", "Abrir un laboratorio STEM", "Cambiar las ventanas del gimnasio escolar",
               "Ofrecer desayunos calientes", "Crear un aula de apoyo inclusiva", "Renovar la biblioteca escolar"],
    },
    "open_data": {
        "uk": ["Оприлюднити відкриті дані про ремонти доріг", "Публікувати дані про якість повітря",
               "Відкрити реєстр договорів оренди", "Створити карту земельних ділянок", "Публікувати розклад транспорту онлайн"],
        "en": ["Publish open data on road repairs", "Publish air quality data", "Open the register of lease contracts",
               "Create a map of land plots", "Publish live public transport timetables"],
        "es": ["Publicar datos abiertos sobre obras viales", "Publicar datos de calidad del aire",
               "Abrir el registro de contratos de alquiler", "Crear un mapa de parcelas", "Publicar horarios de transporte en vivo"],
    },
    "budget": {
        "uk": ["Збільшити громадський бюджет", "Публікувати звіти про виконання бюджету", "Провести бюджетні слухання",
               "Показати витрати на ремонти на карті", "Запровадити бюджет участі для школярів"],
        "en": ["Increase the participatory budget", "Publish budget execution reports", "Hold public budget hearings",
               "Show repair spending on a map", "Start a participatory budget for pupils"],
        "es": ["Aumentar el presupuesto participativo", "Publicar informes de ejecución presupuestaria",
               "Celebrar audiencias públicas del presupuesto", "Mostrar el gasto en obras en un mapa",
               "Crear un presupuesto participativo escolar"],
    },
    "accessibility": {
        "uk": ["Встановити пандуси і тактильну плитку", "Зробити доступними підземні переходи", "Обладнати ліфт у ЦНАПі",
               "Перевірити доступність зупинок", "Запровадити таксі для людей з інвалідністю"],
        "en": ["Install ramps and tactile paving", "Make the underpasses step-free", "Add a lift at the service centre",
               "Audit the accessibility of stops", "Start an accessible taxi service"],
        "es": ["Instalar rampas y pavimento táctil", "Hacer accesibles los pasos subterráneos",
               "Instalar un ascensor en el centro de servicios", "Revisar la accesibilidad de las paradas",
               "Crear un taxi adaptado"],
    },
    "housing": {
        "uk": ["Утеплити фасади багатоквартирних будинків", "Замінити ліфти у старих будинках", "Встановити лічильники тепла",
               "Відремонтувати покрівлі будинків", "Облаштувати контейнерні майданчики"],
        "en": ["Insulate the facades of apartment blocks", "Replace the lifts in old buildings", "Install heat meters",
               "Repair the roofs of the blocks", "Build covered waste-sorting points"],
        "es": ["Aislar las fachadas de los bloques", "Cambiar los ascensores de edificios antiguos",
               "Instalar contadores de calor", "Reparar los tejados de los bloques", "Crear puntos de reciclaje cubiertos"],
    },
    "culture": {
        "uk": ["Відреставрувати історичну браму", "Відкрити районну бібліотеку-хаб", "Провести фестиваль вуличної музики",
               "Встановити таблички з QR-кодами біля пам'яток", "Зберегти мозаїки на фасадах"],
        "en": ["Restore the historic gateway", "Turn the district library into a hub", "Hold a street music festival",
               "Put QR-code signs next to monuments", "Preserve the mosaics on the facades"],
        "es": ["Restaurar la puerta histórica", "Convertir la biblioteca del barrio en un centro cívico",
               "Organizar un festival de música callejera", "Poner placas con código QR junto a los monumentos",
               "Conservar los mosaicos de las fachadas"],
    },
    "e_services": {
        "uk": ["Додати запис до лікаря в Київ Цифровий", "Запровадити електронну чергу в ЦНАПах",
               "Показувати статус кожного звернення", "Спростити онлайн-форми послуг", "Оплачувати паркування онлайн"],
        "en": ["Add doctor appointments to Kyiv Digital", "Introduce an online queue at service centres",
               "Show the status of every request", "Simplify the online service forms", "Pay for parking online"],
        "es": ["Añadir citas médicas a Kyiv Digital", "Implantar la cita previa en los centros de servicios",
               "Mostrar el estado de cada solicitud", "Simplificar los formularios en línea", "Pagar el aparcamiento en línea"],
    },
    "safety": {
        "uk": ["Облаштувати укриття в підземному паркінгу", "Встановити камери і кнопки виклику", "Освітлити темні провулки",
               "Позначити шлях до найближчого укриття", "Навчити мешканців першої допомоги"],
        "en": ["Turn the underground car park into a shelter", "Install cameras and emergency buttons", "Light the dark alleys",
               "Sign the way to the nearest shelter", "Train residents in first aid"],
        "es": ["Habilitar un refugio en el aparcamiento subterráneo", "Instalar cámaras y botones de emergencia",
               "Iluminar los callejones oscuros", "Señalizar el camino al refugio más cercano",
               "Formar a los vecinos en primeros auxilios"],
    },
    "environment": {
        "uk": ["Запровадити роздільний збір сміття", "Встановити датчики якості повітря", "Висадити зелений бар'єр уздовж траси",
               "Заборонити спалювання листя", "Встановити сонячні панелі на школах"],
        "en": ["Introduce separate waste collection", "Install air quality sensors", "Plant a green barrier along the highway",
               "Ban the burning of leaves", "Put solar panels on school roofs"],
        "es": ["Implantar la recogida selectiva", "Instalar sensores de calidad del aire",
               "Plantar una barrera verde junto a la autopista", "Prohibir la quema de hojas",
               "Poner paneles solares en las escuelas"],
    },
    "youth": {
        "uk": ["Збудувати скейт-парк", "Відкрити молодіжний простір", "Облаштувати вуличні тренажери",
               "Запустити безкоштовні спортивні секції", "Створити молодіжну раду району"],
        "en": ["Build a skate park", "Open a youth space", "Install outdoor gym equipment",
               "Start free sports clubs", "Set up a district youth council"],
        "es": ["Construir un skatepark", "Abrir un espacio juvenil", "Instalar aparatos de gimnasia al aire libre",
               "Crear clubes deportivos gratuitos", "Crear un consejo juvenil de distrito"],
    },
}

PLACES = {
    "uk": ["на вулиці Хрещатик", "на Оболонській набережній", "біля метро Лісова", "на Троєщині", "у парку Наталка",
           "на Борщагівці", "біля школи №{n}", "на Подолі", "у Голосіївському районі", "на Позняках",
           "уздовж проспекту Перемоги", "біля ринку на Виноградарі", "у сквері на Печерську", "на Лівому березі",
           "біля поліклініки №{n}", "на Русанівці", "у мікрорайоні Теремки", "на Солом'янці"],
    "en": ["on Khreshchatyk Street", "on the Obolon embankment", "near Lisova metro station", "in Troieshchyna",
           "in Natalka Park", "in Borshchahivka", "next to School No. {n}", "in Podil", "in Holosiivskyi district",
           "in Pozniaky", "along Peremohy Avenue", "by the Vynohradar market", "in a square in Pechersk",
           "on the Left Bank", "next to Clinic No. {n}", "in Rusanivka", "in Teremky", "in Solomianka"],
    "es": ["en la calle Jreshchátyk", "en el paseo de Obolón", "junto al metro Lisova", "en Troieshchyna",
           "en el parque Natalka", "en Borshchahivka", "junto a la escuela n.º {n}", "en Podil",
           "en el distrito de Holosiivskyi", "en Pozniaky", "a lo largo de la avenida Peremohy",
           "junto al mercado de Vynohradar", "en una plaza de Pechersk", "en la orilla izquierda",
           "junto al centro de salud n.º {n}", "en Rusanivka", "en Teremky", "en Solomianka"],
}

PROBLEMS = {
    "uk": ["Зараз мешканцям доводиться {pain}, і ситуація щороку гіршає.",
           "Сотні людей щодня стикаються з тим, що {pain}.",
           "Ми кілька разів зверталися до районної адміністрації, але досі {pain}.",
           "Опитування мешканців будинку показало, що найбільша проблема — {pain}."],
    "en": ["Right now residents {pain}, and it gets worse every year.",
           "Hundreds of people a day find that {pain}.",
           "We have written to the district administration several times, but still {pain}.",
           "A survey of our building showed that the biggest problem is that {pain}."],
    "es": ["Ahora mismo los vecinos {pain}, y cada año va a peor.",
           "Cientos de personas al día se encuentran con que {pain}.",
           "Hemos escrito varias veces a la administración del distrito, pero {pain}.",
           "Una encuesta en nuestro edificio mostró que el mayor problema es que {pain}."],
}
PAINS = {
    "uk": ["немає безпечного шляху до школи", "люди чекають транспорт по сорок хвилин", "вечорами тут зовсім темно",
           "дані неможливо знайти на сайті міста", "незрозуміло, на що витрачають кошти", "візочком тут не проїхати",
           "взимку в квартирах холодно", "сміття не вивозять вчасно", "підліткам нікуди піти після уроків"],
    "en": ["have no safe way to walk to school", "wait forty minutes for a bus", "find the street completely dark at night",
           "cannot find the data on the city website", "cannot see how the money is spent",
           "cannot get through with a pushchair", "are cold in their flats in winter", "see the bins left unemptied",
           "have teenagers with nowhere to go after school"],
    "es": ["no tienen un camino seguro a la escuela", "esperan el autobús cuarenta minutos",
           "encuentran la calle a oscuras por la noche", "no encuentran los datos en la web municipal",
           "no saben en qué se gasta el dinero", "no pueden pasar con un carrito", "pasan frío en casa en invierno",
           "ven los contenedores sin vaciar", "tienen adolescentes sin un sitio adonde ir"],
}
BENEFITS = {
    "uk": ["Це зробить район безпечнішим для дітей і людей старшого віку.", "Рішення недороге і може бути виконане за один сезон.",
           "Так місто покаже, що чує мешканців.", "Подібний проєкт уже успішно працює у Львові.",
           "Це зменшить кількість скарг і звернень до контакт-центру 1551.", "Мешканці готові долучитися до толоки."],
    "en": ["It will make the area safer for children and older people.", "It is cheap and can be done within one season.",
           "It shows that the city listens to its residents.", "A similar project already works well in Lviv.",
           "It will cut the number of complaints to the 1551 contact centre.", "Residents are ready to help with the work."],
    "es": ["Hará el barrio más seguro para niños y mayores.", "Es barato y se puede hacer en una temporada.",
           "Demuestra que la ciudad escucha a sus vecinos.", "Un proyecto parecido ya funciona bien en Leópolis.",
           "Reducirá las quejas al centro de atención 1551.", "Los vecinos están dispuestos a colaborar."],
}
STEPS = {
    "uk": ["провести обстеження і скласти кошторис", "обговорити проєкт із мешканцями", "оголосити відкриті торги в Prozorro",
           "виконати роботи до кінця року", "оприлюднити звіт про витрати", "залучити громадські організації району"],
    "en": ["survey the site and prepare a cost estimate", "discuss the design with residents",
           "run an open tender on Prozorro", "finish the works by the end of the year", "publish a report on the spending",
           "involve the district's civic organisations"],
    "es": ["estudiar el lugar y preparar un presupuesto", "debatir el diseño con los vecinos",
           "convocar una licitación abierta en Prozorro", "terminar las obras antes de fin de año",
           "publicar un informe del gasto", "implicar a las asociaciones del barrio"],
}
STEPS_HEADING = {"uk": "Що пропонуємо:", "en": "What we propose:", "es": "Qué proponemos:"}
COST = {"uk": "Орієнтовна вартість — {n} тис. грн.", "en": "Estimated cost: UAH {n} thousand.",
        "es": "Coste estimado: {n} mil grivnas."}


def proposal(rng: random.Random, locale: str, topic: str) -> tuple[str, str]:
    """(title, Markdown body) of a resident's proposal on ``topic``, written in ``locale``."""
    title = f"{rng.choice(ASKS[topic][locale])} {rng.choice(PLACES[locale])}".format(n=rng.randint(2, 320))
    problem = rng.choice(PROBLEMS[locale]).format(pain=rng.choice(PAINS[locale]))
    steps = "\n".join(f"- {step}" for step in rng.sample(STEPS[locale], rng.randint(2, 4)))
    benefits = " ".join(rng.sample(BENEFITS[locale], 2))
    cost = COST[locale].format(n=rng.randrange(50, 9000, 10))
    return title[:150], f"{problem}\n\n**{STEPS_HEADING[locale]}**\n\n{steps}\n\n{benefits} {cost}"


# --- Comments ---------------------------------------------------------------------------------------

COMMENTS = {
    "uk": ["Підтримую, це давно потрібно нашому району.", "А хто відповідатиме за виконання? Варто вказати департамент.",
           "Живу поруч — проблема справді гостра.", "Пропоную додати строки і показники виконання.",
           "Чи є оцінка вартості? Без неї важко підтримати.", "Краще спершу зробити пілот в одному мікрорайоні.",
           "Не згоден: є важливіші потреби, наприклад укриття.", "Додайте, будь ласка, карту з точним місцем.",
           "Чудова ідея, готовий долучитися до толоки.", "Треба врахувати думку людей з інвалідністю.",
           "У сусідньому районі таке вже зробили, працює добре.", "Головне — щоб після ремонту хтось це обслуговував."],
    "en": ["I support this, our area has needed it for years.", "Who will be responsible for delivering it?",
           "I live nearby and the problem is real.", "Please add deadlines and indicators.",
           "Is there a cost estimate? Hard to support without one.", "Could this be piloted in one neighbourhood first?",
           "I disagree: shelters matter more right now.", "A map with the exact location would help.",
           "Great idea, happy to volunteer.", "Please ask people with disabilities what they need."],
    "es": ["Lo apoyo, el barrio lo necesita desde hace años.", "¿Quién se encargará de llevarlo a cabo?",
           "Vivo cerca y el problema es real.", "Habría que añadir plazos e indicadores.",
           "¿Hay un presupuesto estimado? Sin él es difícil apoyarlo.", "¿Se podría probar primero en un solo barrio?",
           "No estoy de acuerdo: ahora los refugios son más urgentes.", "Un mapa con el lugar exacto ayudaría.",
           "Muy buena idea, me ofrezco como voluntaria.", "Hay que preguntar a las personas con discapacidad."],
}
REPLIES = {
    "uk": ["Згоден, без строків це не спрацює.", "Дякую за уточнення!", "Можна подивитися досвід інших міст OGP Local.",
           "Не впевнений, що бюджету вистачить.", "Так, я теж про це писала в 1551.", "Підтримую ваш коментар."],
    "en": ["Agreed, without deadlines it will not work.", "Thanks for clarifying!", "Other OGP Local cities have done this.",
           "I am not sure the budget is enough.", "Yes, I reported this to 1551 too.", "I second this."],
    "es": ["De acuerdo, sin plazos no funcionará.", "¡Gracias por aclararlo!", "Otras ciudades OGP Local ya lo han hecho.",
           "No sé si el presupuesto alcanza.", "Sí, yo también lo comuniqué al 1551.", "Apoyo tu comentario."],
}
ROUND_COMMENTS = {
    "uk": ["Дякую, що консультацію проводять відкрито.", "Коли буде опубліковано звіт за результатами?",
           "Варто провести зустріч і в нашому районі.", "Документи краще викладати заздалегідь."],
    "en": ["Thank you for running this consultation in the open.", "When will the report be published?",
           "Please hold a meeting in our district too.", "Documents should be published earlier."],
    "es": ["Gracias por hacer esta consulta de forma abierta.", "¿Cuándo se publicará el informe?",
           "Celebren también una reunión en nuestro distrito.", "Los documentos deberían publicarse antes."],
}
OFFICIAL_REPLIES = [
    "Дякуємо за пропозицію. Її передано до профільного департаменту; відповідь оприлюднимо у звіті консультації.",
    "Дякуємо! Питання вартості розглянемо на робочій зустрічі з департаментом фінансів.",
    "Ми врахуємо цей коментар під час підготовки проєкту плану дій.",
    "Дякуємо за уточнення. Детальна карта буде додана до документів раунду.",
]
# Reasons a moderator gives, shown publicly in place of what was hidden.
HIDE_REASONS = ["Містить персональні дані інших людей.", "Образливі висловлювання щодо мешканців.",
                "Реклама, не пов'язана з консультацією.", "Повторює ту саму пропозицію кілька разів."]


def comment(rng: random.Random, locale: str, *, reply: bool = False, on_round: bool = False) -> str:
    source = ROUND_COMMENTS if on_round else REPLIES if reply else COMMENTS
    first = rng.choice(source[locale])
    return first if rng.random() < 0.6 else f"{first} {rng.choice(COMMENTS[locale])}"


def official_reply(rng: random.Random) -> str:
    return rng.choice(OFFICIAL_REPLIES)


# --- Written answers (facilitators, in Ukrainian, Markdown) -----------------------------------------

DEPARTMENTS = ["Департамент транспортної інфраструктури", "Департамент освіти і науки",
               "Департамент інформаційно-комунікаційних технологій", "Департамент фінансів",
               "Департамент житлово-комунальної інфраструктури", "Департамент культури",
               "Департамент суспільних комунікацій", "Департамент захисту довкілля"]
REASONS = {
    "under_evaluation": ["Пропозицію передано на розгляд: **{dept}** готує висновок щодо вартості та строків."],
    "accepted": [("Пропозицію **враховано**. {dept} включить її до плану робіт на {year} рік.\n\n"
                  "- відповідальний: {dept}\n- строк: IV квартал {year} року"),
                 "Пропозицію **враховано повністю**: її включено до проєкту плану дій як окремий крок."],
    "partially_accepted": [("Пропозицію **враховано частково**: {dept} виконає першу частину робіт у {year} році, "
                            "решту буде розглянуто після оцінки бюджету."),
                           "Частково враховано. Ідею пілоту підтримано, але в одному районі, а не в усьому місті."],
    "merged": ["Пропозицію **об'єднано** зі схожою пропозицією цього раунду, щоб розглянути їх разом."],
    "not_accepted": ["Пропозицію **не враховано**: {dept} повідомляє, що роботи вже заплановано за іншою програмою.",
                     ("Не враховано, оскільки пропозиція потребує змін до законодавства, які не належать до "
                      "повноважень міста.")],
    "out_of_scope": [("Питання **не належить до предмета** цієї консультації. Радимо звернутися до "
                      "[контакт-центру 1551](https://1551.gov.ua/).")],
}


def reason(rng: random.Random, outcome: str, year: int) -> str:
    return rng.choice(REASONS[outcome]).format(dept=rng.choice(DEPARTMENTS), year=year)


# --- Rounds ---------------------------------------------------------------------------------------

ROUND_THEMES = [
    ("Спільне напрацювання Місцевого плану дій OGP Local", "Co-creation of the OGP Local action plan",
     "Cocreación del plan de acción local de OGP"),
    ("Громадський бюджет", "The participatory budget", "El presupuesto participativo"),
    ("Стратегія розвитку громадського транспорту", "The public transport strategy", "La estrategia de transporte público"),
    ("Програма «Зелене місто»", "The Green City programme", "El programa Ciudad Verde"),
    ("Концепція безпечних шкіл", "Safe schools", "Escuelas seguras"),
    ("Цифрова трансформація міських послуг", "The digital transformation of city services",
     "La transformación digital de los servicios municipales"),
    ("Доступне місто для всіх", "An accessible city for everyone", "Una ciudad accesible para todos"),
    ("Положення про публічні консультації", "The regulation on public consultations",
     "El reglamento de consultas públicas"),
    ("Програма розвитку молодіжної політики", "The youth policy programme", "El programa de política juvenil"),
    ("План енергоефективності житлового фонду", "Energy efficiency of housing", "La eficiencia energética de la vivienda"),
]
ROUND_KIND = {"uk": "Публічна консультація: {theme}", "en": "Public consultation: {theme}",
              "es": "Consulta pública: {theme}"}
ROUND_SUMMARY = {
    "uk": "Подавайте пропозиції, обговорюйте їх і підтримуйте найкращі: кожна отримає письмову відповідь.",
    "en": "Submit proposals, discuss them and support the best ones: every proposal gets a written answer.",
    "es": "Presenta propuestas, debátelas y apoya las mejores: cada propuesta recibirá una respuesta por escrito.",
}
ROUND_DESCRIPTION = {
    "uk": "## Про консультацію\n\nКиївська міська державна адміністрація запрошує мешканців, громадські організації "
          "та бізнес долучитися до напрацювання рішень. Консультація проходить у кілька етапів: інформування, збір "
          "пропозицій, обговорення, пріоритизація і звіт про врахування.\n\n**Організатор:** {organiser}.",
    "en": "## About the consultation\n\nThe Kyiv City State Administration invites residents, civic organisations and "
          "businesses to shape its decisions. The consultation runs in phases: information, call for proposals, "
          "deliberation, prioritisation and a report on how input was used.\n\n**Organiser:** {organiser}.",
    "es": "## Sobre la consulta\n\nLa Administración de la ciudad de Kyiv invita a vecinos, asociaciones y empresas a "
          "participar en sus decisiones. La consulta tiene varias fases: información, propuestas, deliberación, "
          "priorización e informe sobre cómo se usaron las aportaciones.\n\n**Organizador:** {organiser}.",
}
ORGANISERS = ["Київська міська державна адміністрація", "Київська міська рада",
              "Департамент суспільних комунікацій КМДА", "Оболонська районна в місті Києві державна адміністрація"]
WHAT_WE_HEARD = {
    "uk": "Мешканці найчастіше писали про **безпечний шлях до школи**, укриття та відкриті дані про ремонти. "
          "Понад половина коментарів стосувалася строків виконання.",
    "en": "Residents wrote most often about **safe routes to school**, shelters and open data on repairs. "
          "More than half of the comments were about deadlines.",
    "es": "Los vecinos escribieron sobre todo sobre **caminos seguros a la escuela**, refugios y datos abiertos de obras. "
          "Más de la mitad de los comentarios trataban de los plazos.",
}
WHAT_WE_CHANGED = {
    "uk": "До проєкту плану дій додано три нові кроки, а строки двох зобов'язань скорочено на квартал.",
    "en": "Three new steps were added to the draft action plan, and two commitments were brought forward by a quarter.",
    "es": "Se añadieron tres pasos nuevos al borrador del plan y dos compromisos se adelantaron un trimestre.",
}
DOCUMENTS = [("Проєкт рішення (PDF)", "https://kyivcity.gov.ua/docs/{n}/draft.pdf"),
             ("Аналітична записка", "https://kyivcity.gov.ua/docs/{n}/analysis.pdf"),
             ("Порядок проведення консультації", "https://kyivcity.gov.ua/docs/{n}/procedure.pdf"),
             ("Презентація для учасників", "https://kyivcity.gov.ua/docs/{n}/slides.pdf")]
PHASE_NOTES = {"information": "Документи оприлюднено заздалегідь.", "call_for_proposals": "Подавайте пропозиції онлайн.",
               "deliberation": "Обговорення онлайн і на зустрічах у Vcentri HUB.", "prioritisation": "Підтримайте найкращі.",
               "drafting": "Фасилітатори готують проєкт рішення.", "feedback": "Звіт про врахування пропозицій.",
               "closed": ""}


def round_texts(theme: int, year: int) -> dict[str, tuple[str, str, str]]:
    """{locale: (title, summary, description)} of a round of ``year`` on one of :data:`ROUND_THEMES`."""
    names = ROUND_THEMES[theme % len(ROUND_THEMES)]
    return {locale: (f"{ROUND_KIND[locale].format(theme=names[n])} {year}"[:200], ROUND_SUMMARY[locale],
                     ROUND_DESCRIPTION[locale]) for n, locale in enumerate(LOCALES)}
