"""Settings: a safe production profile, refused unsafe starts, the embedded default."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "x" * 30 + "-production-test-key-0123456789-abcdef",
    "ALLOWED_HOSTS": "intake.example.org",
    "DATABASE_URL": "sqlite:///:memory:",
}


def run_manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items()
             if k not in {"DEBUG", "SECRET_KEY", "DJANGO_ENV", "DATABASE_URL",
                          "CELERY_BROKER_URL", "CELERY_TASK_ALWAYS_EAGER", "ALLOWED_HOSTS",
                          "REQUIRE_2FA", "TEST_DATABASE_NAME", "DJANGO_ALLOW_ASYNC_UNSAFE",
                          "CLIENT_ADDRESS_HEADER", "ONCALL_WEBHOOK_URL",
                          "ONCALL_WEBHOOK_SECRET"}}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env={**clean, **env},
                          capture_output=True, text=True, timeout=120)


def test_it_passes_check_deploy_in_production():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_it_refuses_to_start_in_production_with_debug_on():
    result = run_manage("check", env={**PRODUCTION, "DEBUG": "1"})
    assert result.returncode != 0
    assert "DEBUG must be off" in result.stderr


def test_it_refuses_to_start_in_production_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_it_refuses_a_pager_webhook_without_a_secret_or_over_plain_http():
    result = run_manage("check", env={"ONCALL_WEBHOOK_URL": "https://pager.example.org/in"})
    assert result.returncode != 0
    assert "ONCALL_WEBHOOK_SECRET must be set" in result.stderr
    secret = {"ONCALL_WEBHOOK_SECRET": "s" * 40}
    result = run_manage("check", env={**PRODUCTION, **secret,
                                      "ONCALL_WEBHOOK_URL": "http://pager.example.org/in"})
    assert result.returncode != 0
    assert "must be an https:// address in production" in result.stderr
    result = run_manage("check", env={**PRODUCTION, **secret,
                                      "ONCALL_WEBHOOK_URL": "https://pager.example.org/in"})
    assert result.returncode == 0, result.stderr


def test_it_defaults_to_sqlite_and_eager_celery_with_no_environment():
    code = ("from django.conf import settings as s; "
            "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.REQUIRE_2FA)")
    result = run_manage("shell", "--no-imports", "-c", code, env={})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", "True", "True"]


def test_it_refuses_to_start_with_an_unknown_django_env():
    for value in ("prod", "Production", "staging"):
        result = run_manage("check", env={**PRODUCTION, "DJANGO_ENV": value})
        assert result.returncode != 0, value
        assert f"DJANGO_ENV={value!r} is not known" in result.stderr


def test_it_accepts_the_development_and_test_profiles():
    code = "from django.conf import settings as s; print(s.DEBUG)"
    for value in ("", "development", "test"):
        result = run_manage("shell", "--no-imports", "-c", code, env={"DJANGO_ENV": value})
        assert result.returncode == 0, result.stderr
        assert result.stdout.split() == ["True"]


def test_sqlite_waits_for_the_write_lock_instead_of_failing():
    code = ("from django.conf import settings as s; o = s.DATABASES['default']['OPTIONS']; "
            "print(o['transaction_mode'], o['timeout'] >= 5)")
    result = run_manage("shell", "--no-imports", "-c", code, env={})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["IMMEDIATE", "True"]
    code = "from django.conf import settings as s; print(s.DATABASES['default'].get('OPTIONS'))"
    result = run_manage("shell", "--no-imports", "-c", code,
                        env={"DATABASE_URL": "postgres://u@127.0.0.1:5432/x"})
    assert "transaction_mode" not in result.stdout, result.stdout + result.stderr


def test_the_rate_limit_address_header_comes_from_the_environment():
    code = "from django.conf import settings as s; print(s.CLIENT_ADDRESS_HEADER)"
    result = run_manage("shell", "--no-imports", "-c", code, env={})
    assert result.stdout.split() == ["None"], result.stderr
    result = run_manage("shell", "--no-imports", "-c", code,
                        env={"CLIENT_ADDRESS_HEADER": "HTTP_X_REAL_IP"})
    assert result.stdout.split() == ["HTTP_X_REAL_IP"], result.stderr
