"""FHIR R4 (4.0.1): the questionnaire, intakes, recommendations and totals as resources,
and a QuestionnaireResponse read back into answers. Built from the clinical catalogue
(screening/engine/catalogue.py): no wording is written here."""
