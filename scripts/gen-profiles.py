#!/usr/bin/env python3
"""Write N customer profiles as JSON Lines, for timing `patron import profiles`.

Usage: python3 scripts/gen-profiles.py N PATH
Each line has an integration id, two attributes (Name and Email, built-in string attributes),
`created` and `lastActivity`: the file the README's import figure was measured with.
"""

import json
import sys


def main(count: int, path: str) -> None:
    with open(path, "w", encoding="utf-8") as out:
        for i in range(count):
            profile = {
                "integrationId": f"customer-{i:07d}",
                "attributes": {"Name": f"Customer {i}", "Email": f"c{i}@example.com"},
                "created": "2025-01-02T03:04:05.123456Z",
                "lastActivity": "2025-06-07T08:09:10.000000Z",
            }
            out.write(json.dumps(profile) + "\n")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(int(sys.argv[1]), sys.argv[2])
