from django.contrib.auth.models import Group
from django.db import transaction

from .models import User
from .roles import PATIENT


@transaction.atomic
def patient_sign_up(*, full_name: str, email: str, password: str) -> User:
    """Create a prospective patient's account. Returns the user."""
    user = User.objects.create_user(email=email, password=password, full_name=full_name)
    user.groups.add(Group.objects.get(name=PATIENT))
    return user


@transaction.atomic
def user_create_with_role(*, email: str, full_name: str, password: str, role: str) -> User:
    """Create or update an account and put it in one role group. Returns the user."""
    user, _ = User.objects.get_or_create(email=email.lower(), defaults={"full_name": full_name})
    user.full_name = full_name
    user.is_staff = role == "admin"  # admins also manage staff accounts in Django's admin site
    user.is_superuser = role == "admin"
    user.set_password(password)
    user.save()
    user.groups.set([Group.objects.get(name=role)])
    return user
