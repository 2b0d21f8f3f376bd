"""The sandbox's query language subset (docs/sandbox.md)."""

# QBO query statements, not SQL.

from __future__ import annotations

import pytest


def _rows(qbo, statement):
    res = qbo.query(statement)
    assert res.status_code == 200, res.text
    return res.json()["QueryResponse"]


def test_select_where_and_like_and_in(qbo):
    qr = _rows(qbo, "SELECT * FROM Customer WHERE DisplayName LIKE 'Nordic%' AND Active = true")
    names = sorted(c["DisplayName"] for c in qr["Customer"])
    assert names == ["Nordic Supplies AS"] or all(n.startswith("Nordic") for n in names)
    assert qr["startPosition"] == 1 and qr["maxResults"] == len(qr["Customer"])
    qr = _rows(qbo, "select * from Vendor where DisplayName in ('Telia Eesti AS', 'Nope')")
    assert [v["DisplayName"] for v in qr["Vendor"]] == ["Telia Eesti AS"]


def test_backslash_escaped_quote(qbo):
    qbo.post("customer", {"DisplayName": 'O\'Brien & Sons "Quality" Ltd'})
    qr = _rows(qbo, "select * from Customer where DisplayName = 'O\\'Brien & Sons \"Quality\" Ltd'")
    assert len(qr["Customer"]) == 1


def test_inactive_rows_hidden_unless_asked(qbo):
    default = _rows(qbo, "select * from Customer where DisplayName = 'Old Client OÜ'")
    assert default == {}  # empty result: no entity key
    both = _rows(
        qbo,
        "select * from Customer where Active IN (true, false) and DisplayName = 'Old Client OÜ'",
    )
    assert both["Customer"][0]["Active"] is False
    codes = _rows(qbo, "select * from TaxCode where Active = false")
    assert [c["Name"] for c in codes["TaxCode"]] == ["VAT22"]


def test_count_order_and_paging(qbo):
    total = _rows(qbo, "select count(*) from Invoice")["totalCount"]
    assert total > 10
    seen = []
    start = 1
    while True:
        qr = _rows(
            qbo,
            f"select * from Invoice ORDER BY MetaData.LastUpdatedTime ASC, Id "
            f"STARTPOSITION {start} MAXRESULTS 7",
        )
        page = qr.get("Invoice", [])
        seen += [i["Id"] for i in page]
        if len(page) < 7:
            break
        start += 7
    assert len(seen) == total == len(set(seen))
    desc = _rows(qbo, "select * from Invoice orderby TotalAmt desc maxresults 3")["Invoice"]
    assert [i["TotalAmt"] for i in desc] == sorted((i["TotalAmt"] for i in desc), reverse=True)
    default = _rows(qbo, "select * from Account")
    assert default["maxResults"] == len(default["Account"]) <= 100


def test_datetime_and_number_comparisons(qbo):
    qr = _rows(
        qbo,
        "select * from Invoice where Metadata.LastUpdatedTime >= '2000-01-01T00:00:00Z'"
        " and TotalAmt > '100' and TxnDate <= '2030-01-01'",
    )
    assert all(i["TotalAmt"] > 100 for i in qr["Invoice"])
    assert (
        _rows(
            qbo,
            "select * from Invoice where MetaData.LastUpdatedTime > '2100-01-01T00:00:00-08:00'",
        )
        == {}
    )
    qr = _rows(qbo, "select * from Invoice where CustomerRef = '30' maxresults 1000")
    assert all(i["CustomerRef"]["value"] == "30" for i in qr.get("Invoice", []))


@pytest.mark.parametrize(
    ("statement", "code", "detail"),
    [
        (
            "select * from Customer where DisplayName = 'a' OR DisplayName = 'b'",
            "4000",
            "QueryParserError: Encountered",
        ),
        ("select * from Customer where DisplayName = 'unterminated", "4000", "Lexical error"),
        (
            "select * from Customer where PrimaryEmailAddr = 'a@b.c'",
            "4001",
            "QueryValidationError: property 'PrimaryEmailAddr' is not queryable",
        ),
        ("select * from Customer maxresults 1001", "4001", "QueryValidationError"),
        ("select * from customer", "4000", "QueryParserError"),
        ("select * from Customer where DisplayName = ’x’", "4000", "Lexical error"),
    ],
)
def test_query_errors(qbo, statement, code, detail):
    res = qbo.query(statement)
    assert res.status_code == 400
    fault = res.json()["Fault"]
    assert fault["type"] == "ValidationFault"
    err = fault["Error"][0]
    assert err["code"] == code
    assert detail in err["Detail"]
    assert err["Message"] in ("Error parsing query", "Invalid query")


def test_post_query_with_text_body(qbo):
    res = qbo.session.post(
        f"{qbo.base}/query",
        data="select * from Class",
        headers={"Content-Type": "application/text"},
        timeout=10,
    )
    assert res.status_code == 200
    assert {c["Name"] for c in res.json()["QueryResponse"]["Class"]} == {
        "Consulting",
        "Design",
        "Licences",
    }
