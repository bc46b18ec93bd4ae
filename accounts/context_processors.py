def roles(request):
    """Role booleans for the navigation; none for anonymous visitors."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"is_patient": False, "is_clinician": False, "is_admin_role": False}
    return {
        "is_patient": user.is_patient,
        "is_clinician": user.is_clinician,
        "is_admin_role": user.is_admin_role,
    }
