"""The questionnaire in Spanish: each English wording of the catalogue (questions, options,
instructions, hints) beside its Spanish, for every questionnaire version.

Keyed by the English text, so a rewording in a later version (catalogue.REWORDED) needs its
own entry here, and the tests fail until it has one. PHQ-9 follows the published Spanish
version for the US (Pfizer's PHQ screeners), in the formal "usted"; the other instruments
are plain translations, not validated ones (docs/instruments.md, and shown to clinicians).

Pure data, standard library only: no Django, no I/O.
"""

SPANISH: dict[str, str] = {
    # About you, what brings you here
    "How old are you?": "¿Cuántos años tiene?",
    "What sex were you assigned at birth?": "¿Qué sexo se le asignó al nacer?",
    "Female": "Femenino",
    "Male": "Masculino",
    "Intersex": "Intersexual",
    "I don't know or prefer not to say": "No lo sé o prefiero no decirlo",
    "What brings you here? Choose all that apply.":
        "¿Qué le trae aquí? Elija todas las opciones que correspondan.",
    "Alcohol": "Alcohol",
    "Drugs": "Drogas",
    "Depression or low mood": "Depresión o ánimo bajo",
    "Anxiety, panic or worry": "Ansiedad, pánico o preocupación",
    "Mood swings (highs and lows, bipolar disorder)":
        "Cambios de ánimo (altibajos, trastorno bipolar)",
    "Trauma or PTSD": "Trauma o trastorno de estrés postraumático (TEPT)",
    "Eating or weight": "Alimentación o peso",
    "Chronic pain": "Dolor crónico",
    "Something else": "Otra cosa",
    # Safety (C-SSRS screener): a plain translation
    "These questions are about the past month, unless they say otherwise.":
        "Estas preguntas se refieren al último mes, salvo que digan otra cosa.",
    "Have you wished you were dead or wished you could go to sleep and not wake up?":
        "¿Ha deseado estar muerto(a) o poder dormirse y no despertar?",
    "No": "No",
    "Yes": "Sí",
    "Have you actually had any thoughts of killing yourself?":
        "¿Ha tenido realmente pensamientos de matarse?",
    "Have you been thinking about how you might do this?":
        "¿Ha estado pensando en cómo podría hacerlo?",
    "Have you had these thoughts and had some intention of acting on them?":
        "¿Ha tenido estos pensamientos y alguna intención de llevarlos a cabo?",
    "Have you started to work out or worked out the details of how to kill yourself? Do you "
    "intend to carry out this plan?":
        "¿Ha empezado a planear, o ha planeado, los detalles de cómo matarse? ¿Tiene la "
        "intención de llevar a cabo ese plan?",
    "Have you ever done anything, started to do anything, or prepared to do anything to end "
    "your life? (at any time in your life)":
        "¿Alguna vez ha hecho algo, empezado a hacer algo o se ha preparado para hacer algo "
        "para terminar con su vida? (en cualquier momento de su vida)",
    "Have you ever done anything, started to do anything, or prepared to do anything to end "
    "your life? For example: collected pills, obtained a gun, gave away valuables, wrote a "
    "will or suicide note, took out pills but didn't swallow any, held a gun but changed your "
    "mind or it was grabbed from your hand, went to the roof but didn't jump; or actually "
    "took pills, tried to shoot yourself, cut yourself, tried to hang yourself, etc. (at any "
    "time in your life)":
        "¿Alguna vez ha hecho algo, empezado a hacer algo o se ha preparado para hacer algo "
        "para terminar con su vida? Por ejemplo: juntó pastillas, consiguió un arma, regaló "
        "cosas de valor, escribió un testamento o una nota de suicidio, sacó pastillas pero no "
        "se las tomó, tuvo un arma en la mano pero cambió de opinión o se la quitaron, subió a "
        "la azotea pero no saltó; o de verdad tomó pastillas, intentó dispararse, se cortó, "
        "intentó ahorcarse, etc. (en cualquier momento de su vida)",
    "Was this within the past 3 months?": "¿Fue en los últimos 3 meses?",
    "In the past month, have you had thoughts of hurting someone else?":
        "En el último mes, ¿ha tenido pensamientos de hacerle daño a otra persona?",
    "Yes, thoughts, but no intention of acting on them":
        "Sí, pensamientos, pero sin intención de llevarlos a cabo",
    "Yes, and I intend to act on them": "Sí, y tengo la intención de llevarlos a cabo",
    "Is there a gun (firearm) in your home, or one you could easily get to?":
        "¿Hay un arma de fuego en su casa, o una que pueda conseguir fácilmente?",
    "In the past month, have you heard or seen things that other people could not hear or "
    "see?":
        "En el último mes, ¿ha oído o visto cosas que otras personas no podían oír ni ver?",
    "In the past month, have you felt that other people were plotting against you or trying "
    "to hurt you, or that someone could read your thoughts or control them?":
        "En el último mes, ¿ha sentido que otras personas conspiraban contra usted o querían "
        "hacerle daño, o que alguien podía leer o controlar sus pensamientos?",
    "In the past month, have you hurt yourself on purpose (for example cutting, burning or "
    "hitting yourself) without wanting to die?":
        "En el último mes, ¿se ha hecho daño a propósito (por ejemplo cortándose, quemándose "
        "o golpeándose) sin querer morir?",
    "In the past year, have you had an overdose: taken so much alcohol or drugs that you "
    "needed help, naloxone (Narcan) or emergency care?":
        "En el último año, ¿ha tenido una sobredosis: tomó tanto alcohol o drogas que "
        "necesitó ayuda, naloxona (Narcan) o atención de emergencia?",
    # Trauma (PC-PTSD-5): a plain translation
    "Sometimes things happen to people that are unusually or especially frightening, "
    "horrible, or traumatic. For example: a serious accident or fire; a physical or sexual "
    "assault or abuse; an earthquake or flood; a war; seeing someone be killed or seriously "
    "injured; having a loved one die through homicide or suicide. Have you ever experienced "
    "this kind of event?":
        "A veces a las personas les pasan cosas inusualmente o especialmente aterradoras, "
        "horribles o traumáticas. Por ejemplo: un accidente grave o un incendio; una agresión "
        "o un abuso físico o sexual; un terremoto o una inundación; una guerra; ver cómo matan "
        "o hieren gravemente a alguien; que un ser querido muera por homicidio o suicidio. "
        "¿Alguna vez ha vivido un suceso así?",
    "In the past month, have you...": "En el último mes, ¿usted...",
    "had nightmares about the event(s) or thought about the event(s) when you did not want "
    "to?":
        "ha tenido pesadillas sobre lo sucedido o ha pensado en ello sin querer?",
    "tried hard not to think about the event(s) or went out of your way to avoid situations "
    "that reminded you of the event(s)?":
        "se ha esforzado por no pensar en lo sucedido o ha hecho lo posible por evitar "
        "situaciones que se lo recordaban?",
    "been constantly on guard, watchful, or easily startled?":
        "ha estado constantemente en guardia, alerta o se ha sobresaltado con facilidad?",
    "felt numb or detached from people, activities, or your surroundings?":
        "se ha sentido como adormecido(a) o desconectado(a) de las personas, las actividades "
        "o su entorno?",
    "felt guilty or unable to stop blaming yourself or others for the event(s) or any "
    "problems the event(s) may have caused?":
        "se ha sentido culpable o no ha podido dejar de culparse a sí mismo(a) o a otros por "
        "lo sucedido o por los problemas que haya causado?",
    # Eating (SCOFF): a plain translation; the English capitals spell the acronym
    "Your height in centimetres": "Su estatura en centímetros",
    "Your weight in kilograms": "Su peso en kilogramos",
    "Do you make yourself Sick because you feel uncomfortably full?":
        "¿Se provoca el vómito porque se siente incómodamente lleno(a)?",
    "Do you worry you have lost Control over how much you eat?":
        "¿Le preocupa haber perdido el control sobre cuánto come?",
    "Have you recently lost more than One stone (14 lb, about 6 kg) in a 3-month period?":
        "¿Ha perdido recientemente más de 14 libras (unos 6 kg) en un período de 3 meses?",
    "Do you believe yourself to be Fat when others say you are too thin?":
        "¿Se cree gordo(a) cuando otras personas le dicen que está demasiado delgado(a)?",
    "Would you say that Food dominates your life?":
        "¿Diría que la comida domina su vida?",
    # Mood swings (MDQ): a plain translation
    "Has there ever been a period of time when you were not your usual self and...":
        "¿Ha habido alguna vez un período en el que usted no era como de costumbre y...",
    "you felt so good or so hyper that other people thought you were not your normal self, "
    "or you were so hyper that you got into trouble?":
        "se sentía tan bien o tan acelerado(a) que otras personas pensaban que usted no era "
        "el mismo o la misma de siempre, o estaba tan acelerado(a) que se metió en problemas?",
    "you were so irritable that you shouted at people or started fights or arguments?":
        "estaba tan irritable que le gritaba a la gente o empezaba peleas o discusiones?",
    "you felt much more self-confident than usual?":
        "se sentía mucho más seguro(a) de sí mismo(a) que de costumbre?",
    "you got much less sleep than usual and found you didn't really miss it?":
        "dormía mucho menos que de costumbre y no lo echaba de menos?",
    "you were much more talkative or spoke much faster than usual?":
        "hablaba mucho más o mucho más rápido que de costumbre?",
    "thoughts raced through your head or you couldn't slow your mind down?":
        "los pensamientos le pasaban a toda velocidad por la cabeza o no podía calmar la "
        "mente?",
    "you were so easily distracted by things around you that you had trouble concentrating "
    "or staying on track?":
        "se distraía tan fácilmente con lo que le rodeaba que le costaba concentrarse o "
        "seguir con lo que hacía?",
    "you had much more energy than usual?": "tenía mucha más energía que de costumbre?",
    "you were much more active or did many more things than usual?":
        "estaba mucho más activo(a) o hacía muchas más cosas que de costumbre?",
    "you were much more social or outgoing than usual, for example, you telephoned friends "
    "in the middle of the night?":
        "era mucho más sociable o extrovertido(a) que de costumbre, por ejemplo, llamaba a "
        "amigos en medio de la noche?",
    "you were much more interested in sex than usual?":
        "le interesaba el sexo mucho más que de costumbre?",
    "you did things that were unusual for you or that other people might have thought were "
    "excessive, foolish, or risky?":
        "hacía cosas poco comunes en usted, o que otras personas podrían haber considerado "
        "excesivas, insensatas o arriesgadas?",
    "spending money got you or your family into trouble?":
        "gastar dinero le causó problemas a usted o a su familia?",
    "If you answered yes to more than one of these, have several of these ever happened "
    "during the same period of time?":
        "Si respondió que sí a más de una de estas, ¿alguna vez le pasaron varias de ellas "
        "durante el mismo período?",
    "How much of a problem did any of these cause you, like being unable to work; having "
    "family, money or legal troubles; getting into arguments or fights?":
        "¿Cuántos problemas le causó cualquiera de estas cosas, como no poder trabajar; tener "
        "problemas familiares, de dinero o legales; meterse en discusiones o peleas?",
    "No problem": "Ningún problema",
    "Minor problem": "Un problema menor",
    "Moderate problem": "Un problema moderado",
    "Serious problem": "Un problema grave",
    # Withdrawal and health
    "Right now, do you have withdrawal symptoms after cutting down or stopping alcohol or "
    "drugs (for example shaking, sweating, nausea, feeling very anxious, seeing or hearing "
    "things)?":
        "En este momento, ¿tiene síntomas de abstinencia después de reducir o dejar el alcohol "
        "o las drogas (por ejemplo temblores, sudor, náuseas, mucha ansiedad, ver u oír "
        "cosas)?",
    "Yes, mild": "Sí, leves",
    "Yes, moderate": "Sí, moderados",
    "Yes, severe": "Sí, graves",
    "Have you ever had a seizure (fit) or delirium tremens (the DTs) when stopping alcohol "
    "or drugs?":
        "¿Alguna vez ha tenido una convulsión o delirium tremens al dejar el alcohol o las "
        "drogas?",
    "Do you drink heavily, or take benzodiazepines or opioids, every day?":
        "¿Bebe mucho, o toma benzodiacepinas u opioides, todos los días?",
    "Do you drink heavily every day, or take benzodiazepines or opioids every day in a way "
    "that was not prescribed for you? Medication taken as prescribed (for example "
    "buprenorphine, methadone, or prescribed opioids or benzodiazepines taken as prescribed) "
    "does not count.":
        "¿Bebe mucho todos los días, o toma benzodiacepinas u opioides todos los días de una "
        "forma que no le recetaron? Los medicamentos tomados como se los recetaron (por "
        "ejemplo buprenorfina, metadona, u opioides o benzodiacepinas recetados y tomados "
        "como se indicó) no cuentan.",
    "Do you have a medical condition that needs 24-hour medical care right now?":
        "¿Tiene una afección médica que necesite atención médica las 24 horas en este "
        "momento?",
    "Are you pregnant?": "¿Está embarazada?",
    # Support and home
    "How much support do you have from family or friends?":
        "¿Cuánto apoyo tiene de su familia o amigos?",
    "Strong: people I can rely on": "Mucho: personas con las que puedo contar",
    "Enough": "Suficiente",
    "A little": "Un poco",
    "None": "Ninguno",
    "Where are you living?": "¿Dónde vive?",
    "A stable home": "En un hogar estable",
    "Somewhere I may not be able to stay": "En un lugar donde quizá no pueda quedarme",
    "I have no home": "No tengo hogar",
    "Is your home safe for you? (no violence or abuse, and no one there is actively using "
    "drugs or drinking heavily)":
        "¿Su hogar es seguro para usted? (sin violencia ni abuso, y nadie allí consume drogas "
        "o bebe mucho)",
    # Past treatment, daily life, availability
    "Have you left a hospital, residential program or detox recently?":
        "¿Ha salido hace poco de un hospital, un programa residencial o un programa de "
        "desintoxicación?",
    "Yes, in the past year": "Sí, en el último año",
    "Yes, in the past 30 days": "Sí, en los últimos 30 días",
    "In the past year, have you had outpatient therapy or counselling that did not help "
    "enough?":
        "En el último año, ¿ha recibido terapia o consejería ambulatoria que no le ayudó lo "
        "suficiente?",
    "How are you managing work, school, family and looking after yourself?":
        "¿Cómo le va con el trabajo, los estudios, la familia y el cuidado de sí mismo(a)?",
    "I am managing": "Me las arreglo",
    "I am struggling with some of it": "Me cuesta con algunas cosas",
    "I am not able to manage": "No puedo arreglármelas",
    "When could you come to a program? Choose all that apply.":
        "¿Cuándo podría venir a un programa? Elija todas las opciones que correspondan.",
    "Weekday mornings": "Mañanas entre semana",
    "Weekday afternoons": "Tardes entre semana",
    "Weekday evenings": "Noches entre semana",
    "Weekends": "Fines de semana",
    "About how many hours a week could you give to treatment?":
        "¿Más o menos cuántas horas a la semana podría dedicar al tratamiento?",
    # PHQ-9: the published Spanish version for the US (Pfizer)
    "Over the last 2 weeks, how often have you been bothered by any of the following "
    "problems?":
        "Durante las últimas 2 semanas, ¿qué tan seguido ha tenido molestias debido a los "
        "siguientes problemas?",
    "Little interest or pleasure in doing things": "Poco interés o placer en hacer cosas",
    "Not at all": "Ningún día",
    "Several days": "Varios días",
    "More than half the days": "Más de la mitad de los días",
    "Nearly every day": "Casi todos los días",
    "Feeling down, depressed, or hopeless":
        "Se ha sentido decaído(a), deprimido(a) o sin esperanzas",
    "Trouble falling or staying asleep, or sleeping too much":
        "Ha tenido dificultad para quedarse o permanecer dormido(a), o ha dormido demasiado",
    "Feeling tired or having little energy": "Se ha sentido cansado(a) o con poca energía",
    "Poor appetite or overeating": "Sin apetito o ha comido en exceso",
    "Feeling bad about yourself, or that you are a failure or have let yourself or your "
    "family down":
        "Se ha sentido mal con usted mismo(a), o que es un fracaso o que ha quedado mal con "
        "usted mismo(a) o con su familia",
    "Trouble concentrating on things, such as reading the newspaper or watching television":
        "Ha tenido dificultad para concentrarse en ciertas actividades, tales como leer el "
        "periódico o ver la televisión",
    "Moving or speaking so slowly that other people could have noticed? Or the opposite: "
    "being so fidgety or restless that you have been moving around a lot more than usual":
        "¿Se ha movido o hablado tan lento que otras personas podrían haberlo notado? O lo "
        "contrario: muy inquieto(a) o agitado(a) que ha estado moviéndose mucho más de lo "
        "normal",
    "Thoughts that you would be better off dead or of hurting yourself in some way":
        "Pensamientos de que estaría mejor muerto(a) o de lastimarse de alguna manera",
    # GAD-7: a plain translation (the published US Spanish could not be checked here)
    "Over the last 2 weeks, how often have you been bothered by the following problems?":
        "Durante las últimas 2 semanas, ¿qué tan seguido ha tenido molestias debido a los "
        "siguientes problemas?",
    "Feeling nervous, anxious or on edge":
        "Se ha sentido nervioso(a), ansioso(a) o con los nervios de punta",
    "Not being able to stop or control worrying":
        "No ha sido capaz de parar o controlar su preocupación",
    "Worrying too much about different things":
        "Se ha preocupado demasiado por diferentes cosas",
    "Trouble relaxing": "Ha tenido dificultad para relajarse",
    "Being so restless that it is hard to sit still":
        "Se ha sentido tan inquieto(a) que no ha podido quedarse quieto(a)",
    "Becoming easily annoyed or irritable": "Se ha molestado o irritado fácilmente",
    "Feeling afraid as if something awful might happen":
        "Ha tenido miedo de que algo terrible fuera a pasar",
    # AUDIT-C: a plain translation
    "These questions are about your drinking in the past year. A standard drink is a can of "
    "beer, a glass of wine or a shot of spirits.":
        "Estas preguntas se refieren a lo que ha bebido en el último año. Una bebida estándar "
        "es una lata de cerveza, una copa de vino o un trago de licor.",
    "How often do you have a drink containing alcohol?":
        "¿Con qué frecuencia toma una bebida que contenga alcohol?",
    "Never": "Nunca",
    "Monthly or less": "Una vez al mes o menos",
    "2 to 4 times a month": "De 2 a 4 veces al mes",
    "2 to 3 times a week": "De 2 a 3 veces a la semana",
    "4 or more times a week": "4 o más veces a la semana",
    "How many standard drinks containing alcohol do you have on a typical day when you are "
    "drinking?":
        "¿Cuántas bebidas estándar con alcohol toma en un día típico en que bebe?",
    "1 or 2 (or I don't drink)": "1 o 2 (o no bebo)",
    "3 or 4": "3 o 4",
    "5 or 6": "5 o 6",
    "7 to 9": "De 7 a 9",
    "10 or more": "10 o más",
    "How often do you have six or more drinks on one occasion?":
        "¿Con qué frecuencia toma seis o más bebidas en una sola ocasión?",
    "Less than monthly": "Menos de una vez al mes",
    "Monthly": "Una vez al mes",
    "Weekly": "Una vez a la semana",
    "Daily or almost daily": "A diario o casi a diario",
    # DAST-10: a plain translation
    "These questions are about drug use in the past 12 months, not counting alcohol or "
    "tobacco, or medicines taken as prescribed.":
        "Estas preguntas se refieren al consumo de drogas en los últimos 12 meses, sin contar "
        "el alcohol ni el tabaco, ni los medicamentos tomados como se los recetaron.",
    "Have you used drugs other than those required for medical reasons?":
        "¿Ha consumido drogas aparte de las que necesita por razones médicas?",
    "Do you abuse more than one drug at a time?":
        "¿Abusa de más de una droga a la vez?",
    "Are you always able to stop using drugs when you want to?":
        "¿Siempre puede dejar de consumir drogas cuando quiere?",
    'Have you had "blackouts" or "flashbacks" as a result of drug use?':
        "¿Ha tenido «lagunas» (pérdidas de memoria) o «flashbacks» por el consumo de drogas?",
    "Do you ever feel bad or guilty about your drug use?":
        "¿Alguna vez se siente mal o culpable por su consumo de drogas?",
    "Does your spouse (or parents) ever complain about your involvement with drugs?":
        "¿Su pareja (o sus padres) se quejan alguna vez de su relación con las drogas?",
    "Have you neglected your family because of your use of drugs?":
        "¿Ha descuidado a su familia por su consumo de drogas?",
    "Have you engaged in illegal activities in order to obtain drugs?":
        "¿Ha participado en actividades ilegales para conseguir drogas?",
    "Have you ever experienced withdrawal symptoms (felt sick) when you stopped taking "
    "drugs?":
        "¿Alguna vez ha tenido síntomas de abstinencia (se ha sentido enfermo(a)) al dejar de "
        "consumir drogas?",
    "Have you had medical problems as a result of your drug use (for example memory loss, "
    "hepatitis, convulsions, bleeding)?":
        "¿Ha tenido problemas médicos por su consumo de drogas (por ejemplo pérdida de "
        "memoria, hepatitis, convulsiones, sangrado)?",
    # PEG: a plain translation
    "What number best describes your pain on average in the past week?":
        "¿Qué número describe mejor su dolor, en promedio, durante la última semana?",
    "What number best describes how, during the past week, pain has interfered with your "
    "enjoyment of life?":
        "¿Qué número describe mejor cuánto ha interferido el dolor, durante la última "
        "semana, con su disfrute de la vida?",
    "What number best describes how, during the past week, pain has interfered with your "
    "general activity?":
        "¿Qué número describe mejor cuánto ha interferido el dolor, durante la última "
        "semana, con su actividad en general?",
    # Hints
    "Leave all unticked if you are not sure.": "Deje todas sin marcar si no está seguro(a).",
    "An intensive program is 9 to 20 hours a week.":
        "Un programa intensivo es de 9 a 20 horas a la semana.",
    "0 = no pain, 10 = pain as bad as you can imagine":
        "0 = sin dolor, 10 = el peor dolor que pueda imaginar",
    "0 = does not interfere, 10 = completely interferes":
        "0 = no interfiere, 10 = interfiere por completo",
}
# The credit each instrument's terms ask for, shown under its step (docs/instruments.md).
# Names of people, journals and the holders of the rights stay as they are published.
_PFIZER_ES = ("desarrollado por los Dres. Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke "
              "y colegas, con una subvención educativa de Pfizer Inc. No se requiere permiso "
              "para reproducirlo, traducirlo, mostrarlo o distribuirlo.")
CREDITS: dict[str, str] = {
    "PHQ-9: developed by Drs. Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and "
    "colleagues, with an educational grant from Pfizer Inc. No permission required to "
    "reproduce, translate, display or distribute.": f"PHQ-9: {_PFIZER_ES}",
    "GAD-7: developed by Drs. Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and "
    "colleagues, with an educational grant from Pfizer Inc. No permission required to "
    "reproduce, translate, display or distribute.": f"GAD-7: {_PFIZER_ES}",
    "AUDIT-C: the first three questions of the Alcohol Use Disorders Identification Test "
    "(AUDIT), World Health Organization; Bush et al., 1998.":
        "AUDIT-C: las tres primeras preguntas del Test de Identificación de Trastornos "
        "por Consumo de Alcohol (AUDIT), Organización Mundial de la Salud; Bush et al., 1998.",
    "DAST-10: © 1982 Harvey A. Skinner, PhD, and the Centre for Addiction and Mental Health, "
    "Toronto, Canada. Reproduced for non-commercial clinical use with credit to the author, "
    "Dr. Harvey A. Skinner.":
        "DAST-10: © 1982 Harvey A. Skinner, PhD, y el Centre for Addiction and Mental "
        "Health, Toronto, Canadá. Reproducido para uso clínico no comercial, con el "
        "crédito a su autor, el Dr. Harvey A. Skinner.",
    "PC-PTSD-5: Prins, Bovin, Kimerling et al., 2016; National Center for PTSD, US "
    "Department of Veterans Affairs.":
        "PC-PTSD-5: Prins, Bovin, Kimerling et al., 2016; National Center for PTSD, "
        "Departamento de Asuntos de Veteranos de los Estados Unidos.",
    "SCOFF questionnaire: Morgan, Reid and Lacey, BMJ 1999.":
        "Cuestionario SCOFF: Morgan, Reid y Lacey, BMJ 1999.",
    "Mood Disorder Questionnaire (MDQ): Hirschfeld et al., American Journal of Psychiatry "
    "2000; © 2000 The University of Texas Medical Branch.":
        "Cuestionario de Trastornos del Estado de Ánimo (MDQ): Hirschfeld et al., American "
        "Journal of Psychiatry 2000; © 2000 The University of Texas Medical Branch.",
    "PEG: Krebs et al., Journal of General Internal Medicine 2009.":
        "PEG: Krebs et al., Journal of General Internal Medicine 2009.",
    "Questions from the Columbia-Suicide Severity Rating Scale (C-SSRS) screener, Posner et "
    "al., the Columbia Lighthouse Project; © The Research Foundation for Mental Hygiene, Inc.":
        "Preguntas de la versión breve de detección de la Escala Columbia para Evaluar la "
        "Gravedad del Riesgo Suicida (C-SSRS), Posner et al., Columbia Lighthouse Project; "
        "© The Research Foundation for Mental Hygiene, Inc.",
}
SPANISH.update(CREDITS)
# The PEG's 0 to 10 read the same in every language.
SPANISH.update({str(n): str(n) for n in range(11)})

# Where each instrument's Spanish comes from, and whether it is a validated translation
# (SPEC §8b): clinicians are told when a person answered one that is not.
SOURCES: dict[str, tuple[str, bool]] = {
    "phq9": ("Published Spanish version for the US (Pfizer, PHQ screeners)", True),
    "gad7": ("Plain translation; the published US Spanish could not be checked", False),
    "auditc": ("Plain translation; a published Spanish AUDIT could not be checked", False),
    "cssrs": ("Plain translation; the published C-SSRS screener Spanish could not be "
              "checked", False),
    "dast10": ("Plain translation", False),
    "pcptsd5": ("Plain translation", False),
    "scoff": ("Plain translation", False),
    "mdq": ("Plain translation", False),
    "peg": ("Plain translation", False),
}
