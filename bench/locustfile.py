"""The clinic's traffic for bench/load.py (locust). Not run on its own: load.py writes the
people, intakes and token this reads (LOAD_PLAN, a JSON file) and starts the servers."""

import json
import os
import random
import re

import gevent
from locust import HttpUser, between, constant, events, tag, task

PLAN = json.loads(open(os.environ["LOAD_PLAN"]).read())  # noqa: SIM115
THINK = os.environ.get("LOAD_THINK", "")
WAIT = between(*map(float, THINK.split("-"))) if THINK else constant(0)
MAX_REQUESTS = int(os.environ.get("LOAD_MAX_REQUESTS", "0"))
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SEARCHES = ("garcia", "nguyen", "smith", "priya", "olga")


_environment = None


@events.init.add_listener
def _keep_environment(environment, **kwargs):
    global _environment
    _environment = environment


@events.request.add_listener
def _stop_after_max(**kwargs):
    """Bounded in requests as well as in time: the runner stops at LOAD_MAX_REQUESTS."""
    runner = _environment.runner if _environment is not None else None
    if MAX_REQUESTS and runner is not None and runner.stats.total.num_requests >= MAX_REQUESTS:
        gevent.spawn(runner.quit)


class Person(HttpUser):
    abstract = True
    wait_time = WAIT

    def page(self, method: str, path: str, name: str, **kwargs) -> None:
        """One request; bounced to the sign-in page counts as an error, not as a fast page."""
        with self.client.request(method, path, name=name, catch_response=True,
                                 **kwargs) as answer:
            if answer.status_code >= 400:
                answer.failure(f"{answer.status_code}")
            elif not path.startswith("/login/") and (
                    "/login/" in answer.url
                    or answer.headers.get("Location", "").startswith("/login/")):
                answer.failure("sent to sign in")

    def csrf(self, path: str) -> str:
        page = self.client.get(path, name="(form for a token)")
        found = CSRF.search(page.text)
        return found.group(1) if found else self.client.cookies.get("csrftoken", "")

    def resume(self, seat: dict) -> None:
        """Use a session made by load.py: the page phases do not hash passwords."""
        self.client.cookies.set("sessionid", seat["session"])
        self.client.cookies.set("csrftoken", seat["csrf"])
        self.token = seat["csrf"]

    def sign_in(self, email: str, password: str, *, name: str = "sign-in") -> None:
        token = self.csrf("/login/")
        with self.client.post("/login/", {"username": email, "password": password,
                                          "csrfmiddlewaretoken": token},
                              name=name, allow_redirects=False, catch_response=True) as answer:
            if answer.status_code != 302:
                answer.failure(f"sign-in gave {answer.status_code}")
            else:
                answer.success()


class Clinician(Person):
    weight = 3

    def on_start(self):
        self.resume(PLAN["seats"].pop())

    @tag("trivial")
    @task
    def trivial(self):
        self.page("GET", "/bench/trivial/", "trivial view (clinician)")

    @tag("queue")
    @task
    def queue(self):
        self.page("GET", "/review/", "queue, first page")

    @tag("filtered")
    @task
    def filtered(self):
        self.page("GET", "/review/?level=iop&assignee=me&state=all", "queue, filtered")

    @tag("search")
    @task
    def search(self):
        # Searched words are posted and kept in the session, never put in the URL: the
        # POST and the page it leads to, as one.
        self.page("POST", "/review/", "queue, search",
                  data={"q": random.choice(SEARCHES), "csrfmiddlewaretoken": self.token},
                  headers={"Referer": self.host + "/review/"})

    @tag("intake")
    @task
    def intake_page(self):
        pk = random.choice(PLAN["intakes"])
        self.page("GET", f"/review/intakes/{pk}/", "intake page")

    @tag("decide")
    @task
    def decide(self):
        if not PLAN["to_decide"]:
            return
        pk = PLAN["to_decide"].pop()
        # Not followed: the intake page it leads to is measured on its own.
        self.page("POST", f"/review/intakes/{pk}/decide/", "decide", allow_redirects=False,
                  data={"outcome": "accept", "csrfmiddlewaretoken": self.token},
                  headers={"Referer": self.host + f"/review/intakes/{pk}/"})

    @tag("response_times")
    @task
    def response_times(self):
        self.page("GET", "/review/response-times/", "report: response times")

    @tag("metrics")
    @task
    def metrics(self):
        self.page("GET", "/review/metrics/", "report: metrics")

    @tag("api")
    @task
    def api_list(self):
        self.page("GET", "/api/v1/intakes/", "API intakes list",
                  headers={"Authorization": f"Bearer {PLAN['api_token']}"})


class Patient(Person):
    weight = 1

    def on_start(self):
        self.person = PLAN["patients"].pop()
        self.resume(self.person)

    @tag("trivial_patient")
    @task
    def trivial(self):
        self.page("GET", "/bench/trivial/", "trivial view (patient)")

    @tag("step")
    @task(2)
    def step_submit(self):
        path = f"/intake/{self.person['draft']}/step/about/"
        with self.client.post(path, {"age": str(random.randint(18, 80)),
                                     "sex_at_birth": random.choice(["female", "male"]),
                                     "csrfmiddlewaretoken": self.token},
                              headers={"Referer": self.host + path}, allow_redirects=False,
                              name="intake step submit", catch_response=True) as answer:
            if answer.status_code != 302:
                answer.failure(f"step submit gave {answer.status_code}")
            else:
                answer.success()


class SigningIn(Person):
    weight = 1
    # As a clinic uses it, a person signs in once a session, not every few seconds: with the
    # same 1-3 s as the pages, ten of fifty users signed in 3 times a second, and the
    # password hash (meant to be slow) took a core and every page's p95 with it. At
    # saturation (no think time) sign-in has the server alone, as each page does.
    wait_time = between(30, 90) if THINK else constant(0)

    @tag("sign_in")
    @task
    def sign_in_and_out(self):
        self.client.cookies.clear()
        self.sign_in(random.choice(PLAN["clinicians"]), PLAN["password"])
        self.client.cookies.clear()
