"""The load mix, for locust (started by bench/load/run.py, which writes the fixtures file first).

Visitors (1–3 s between requests) search (HTML and API, with facets), read profiles, fetch badge
JSON-LD and verify badges (a hosted assertion's URL, or a pasted OB 3.0 credential); partners, each signed in as a
member of a different partner organisation, endorse a badge class through the form (with its
CSRF token) and withdraw it again. Every request is named by its route, so the statistics are
per route. Any status but the expected one is a failure.
"""

import json
import os
import random
import re
import threading
from typing import ClassVar

from locust import HttpUser
from locust import between
from locust import task

with open(os.environ["BENCH_FIXTURES"], encoding="utf-8") as _file:
    FIXTURES = json.load(_file)
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
WITHDRAW = r'href="(/espace/reconnaissances/{slug}/[0-9a-f-]{{36}}/retirer)"'


def check(response, *expected: int) -> None:
    """Mark the request failed unless its status is one of ``expected``."""
    if response.status_code not in expected:
        response.failure(f"status {response.status_code}, expected {expected}")


class Visitor(HttpUser):
    """Someone using the public directory (reading a page for 1–3 s), or a verifier's script."""

    weight = 9
    wait_time = between(1.0, 3.0)

    def _facets(self) -> dict:
        """A query word and one or two facet filters, as the facet links build them."""
        params = {"q": random.choice(FIXTURES["words"])}
        for name in random.sample(list(FIXTURES["facets"]), k=random.randint(1, 2)):
            params[name] = random.choice(FIXTURES["facets"][name])
        return params

    @task(6)
    def search_page(self):
        with self.client.get("/search", params=self._facets(), name="/search", catch_response=True) as r:
            check(r, 200)

    @task(3)
    def search_api(self):
        with self.client.get("/api/v1/search", params=self._facets(), name="/api/v1/search",
                             catch_response=True) as r:  # fmt: skip
            check(r, 200)

    @task(5)
    def profile(self):
        slug = random.choice(FIXTURES["profiles"])
        with self.client.get(f"/profiles/{slug}", name="/profiles/<slug>", catch_response=True) as r:
            check(r, 200)

    @task(2)
    def badge_class_ob2(self):
        uuid = random.choice(FIXTURES["badge_classes"])
        headers = {"Accept": "application/ld+json"}
        with self.client.get(f"/ob/v2/badges/{uuid}", headers=headers, name="/ob/v2/badges/<uuid>",
                             catch_response=True) as r:  # fmt: skip
            check(r, 200)

    @task(2)
    def credential_ob3(self):
        uuid = random.choice(FIXTURES["awards"])
        headers = {"Accept": "application/ld+json"}
        with self.client.get(f"/ob/v3/credentials/{uuid}", headers=headers, name="/ob/v3/credentials/<uuid>",
                             catch_response=True) as r:  # fmt: skip
            check(r, 200)

    @task(1)
    def verify_url(self):
        url = FIXTURES["verify_base"] + "/ob/v2/assertions/" + random.choice(FIXTURES["awards"])
        with self.client.post("/api/v1/verify", json={"url": url}, name="POST /api/v1/verify (url)",
                              catch_response=True) as r:  # fmt: skip
            check(r, 200)
            if r.status_code == 200 and r.json().get("result") != "valid":
                r.failure(f"verdict {r.json().get('result')}")

    @task(1)
    def verify_credential(self):
        credential = random.choice(FIXTURES["credentials"])
        with self.client.post("/api/v1/verify", json={"credential": credential},
                              name="POST /api/v1/verify (credential)", catch_response=True) as r:  # fmt: skip
            check(r, 200)
            if r.status_code == 200 and r.json().get("result") != "valid":
                r.failure(f"verdict {r.json().get('result')}")


class Partner(HttpUser):
    """A signed-in member of a partner organisation: endorse a badge class, then withdraw it."""

    fixed_count = len(FIXTURES["partners"])
    weight = 0
    wait_time = between(1.0, 3.0)
    _claimed = threading.Lock()
    _free: ClassVar[list[int]] = list(range(len(FIXTURES["partners"])))

    def on_start(self):
        with Partner._claimed:
            self.me = FIXTURES["partners"][Partner._free.pop()]
        # The domain the server's own Set-Cookie gets, so its updates (CSRF token) replace this one.
        self.client.cookies.set("session", self.me["cookie"], domain="127.0.0.1")
        self.space = f"/espace/reconnaissances/{self.me['organisation']}"

    def _token(self, path: str, name: str) -> str | None:
        with self.client.get(path, name=name, catch_response=True) as r:
            check(r, 200)
            found = CSRF.search(r.text) if r.status_code == 200 else None
            if r.status_code == 200 and found is None:
                r.failure("no CSRF token in the form")
            return found.group(1) if found else None

    @task
    def endorse_and_withdraw(self):
        badge = random.choice(self.me["badge_classes"])
        form = f"{self.space}/badges/{badge['uuid']}"
        token = self._token(form, "/espace/reconnaissances/<slug>/badges/<uuid>")
        if token is None:
            return
        data = {"csrf_token": token, "comment": f"Charge : nous reconnaissons {badge['slug']}."}
        with self.client.post(form, data=data, name="POST /espace/reconnaissances/<slug>/badges/<uuid>",
                              allow_redirects=False, catch_response=True) as r:  # fmt: skip
            check(r, 302)
            if r.status_code != 302:
                return  # never withdraw an endorsement this user did not just give
        with self.client.get(self.space, name="/espace/reconnaissances/<slug>", catch_response=True) as r:
            check(r, 200)
            # The newest first: the endorsement just given.
            found = re.search(WITHDRAW.format(slug=re.escape(self.me["organisation"])), r.text)
            if found is None:
                r.failure("the new endorsement is not listed")
                return
        withdraw = found.group(1)
        token = self._token(withdraw, "/espace/reconnaissances/<slug>/<uuid>/retirer")
        if token is None:
            return
        with self.client.post(withdraw, data={"csrf_token": token, "reason": "Charge : retrait."},
                              name="POST /espace/reconnaissances/<slug>/<uuid>/retirer",
                              allow_redirects=False, catch_response=True) as r:  # fmt: skip
            check(r, 302)
