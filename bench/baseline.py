"""The ceiling: the smallest ASGI app that reads the request and answers a fixed JSON body.

Served by the same HTTP server with the same options as patron (`uvicorn bench.baseline:app`).
"""

from typing import Any

BODY = (
    b'{"customerSession":{"integrationId":"s1","applicationId":1,"profileId":"p1","state":"closed",'
    b'"cartItems":[{"name":"Shoe","sku":"SKU-1","quantity":1,"price":10.0}],"total":10.0},'
    b'"customerProfile":{"id":1,"integrationId":"p1","closedSessions":1,"totalSales":10.0},"effects":[]}'
)
HEADERS = [(b"content-type", b"application/json"), (b"content-length", str(len(BODY)).encode())]


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        return
    more = True
    while more:
        message = await receive()
        more = message.get("more_body", False)
    await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
    await send({"type": "http.response.body", "body": BODY})
