"""Raw HTTP (urllib, loopback only) for the requests an official SDK refuses to send."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class RawResponse:
    status: int
    headers: dict[str, str]
    text: str

    @property
    def json(self) -> Any:
        return json.loads(self.text) if self.text else None


def request(
    base_url: str,
    method: str,
    path: str,
    *,
    api_key: str | None = None,
    management_key: str | None = None,
    body: Any = None,
    headers: dict[str, str] | None = None,
) -> RawResponse:
    """Send one request; never raises for an HTTP error status."""
    assert base_url.startswith("http://127.0.0.1:"), base_url  # loopback only
    all_headers = {"Accept": "application/json", **(headers or {})}
    if api_key is not None:
        all_headers["Authorization"] = f"ApiKey-v1 {api_key}"
    if management_key is not None:
        all_headers["Authorization"] = f"ManagementKey-v1 {management_key}"
    data = None
    if body is not None:
        data = json.dumps(body).encode("utf-8")
        all_headers["Content-Type"] = "application/json"
    req = urllib.request.Request(f"{base_url}{path}", data=data, method=method, headers=all_headers)
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            return RawResponse(
                status=response.status,
                headers={k.lower(): v for k, v in response.headers.items()},
                text=response.read().decode("utf-8"),
            )
    except urllib.error.HTTPError as exc:
        return RawResponse(
            status=exc.code,
            headers={k.lower(): v for k, v in exc.headers.items()},
            text=exc.read().decode("utf-8"),
        )
