from .alerts import delivery_problems


def oncall_problems(request):
    """The red banner on every staff page: why urgent alerts cannot reach anyone now.

    Two small indexed queries per staff page; nothing for patients and visitors.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_clinic_staff:
        return {"oncall_problems": []}
    return {"oncall_problems": delivery_problems()}
