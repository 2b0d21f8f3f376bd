"""QuickBooks faults: one exception type that knows its HTTP status and JSON/XML shapes."""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.sax.saxutils import escape


@dataclass
class QuickBooksError(Exception):
    code: str
    message: str
    detail: str = ""
    element: str = ""
    status: int = 400
    fault_type: str = "ValidationFault"
    extra: list[QuickBooksError] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{self.code} {self.message}: {self.detail}"

    def errors(self) -> list[QuickBooksError]:
        return [self, *self.extra]

    def fault(self) -> dict:
        return {
            "Error": [
                {"Message": e.message, "Detail": e.detail, "code": e.code, "element": e.element}
                for e in self.errors()
            ],
            "type": self.fault_type,
        }

    def xml(self, time_text: str) -> str:
        errors = "".join(
            f'<Error code="{escape(e.code)}"'
            + (f' element="{escape(e.element)}"' if e.element else "")
            + f"><Message>{escape(e.message)}</Message><Detail>{escape(e.detail)}</Detail></Error>"
            for e in self.errors()
        )
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<IntuitResponse xmlns="http://schema.intuit.com/finance/v3" time="{time_text}">'
            f'<Fault type="{escape(self.fault_type)}">{errors}</Fault></IntuitResponse>'
        )


INACTIVE_HINT = (
    "Something you're trying to use has been made inactive. Check the fields with accounts, "
    "customers, items, vendors or employees."
)


def not_found(entity: str, obj_id: str) -> QuickBooksError:
    return QuickBooksError(
        "610",
        "Object Not Found",
        f"Object Not Found : Something you're trying to use has been made inactive. "
        f"Check the fields with accounts, customers, items, vendors or employees. "
        f"({entity} Id={obj_id})",
    )


def inactive_ref(element: str) -> QuickBooksError:
    return QuickBooksError(
        "610", "Object Not Found", f"Object Not Found : {INACTIVE_HINT}", element
    )


def invalid_ref(element: str, entity: str, value: str) -> QuickBooksError:
    return QuickBooksError(
        "2500",
        "Invalid Reference Id",
        f"Invalid Reference Id : {INACTIVE_HINT} {entity} Id={value}",
        element,
    )


def required(param: str) -> QuickBooksError:
    return QuickBooksError(
        "2020",
        "Required param missing, need to supply the required value for the API",
        f"Required parameter {param} is missing in the request",
        param,
    )


def business(detail: str, element: str = "") -> QuickBooksError:
    return QuickBooksError(
        "6000",
        "A business validation error has occurred while processing your request",
        f"Business Validation Error: {detail}",
        element,
    )


def unsupported(detail: str) -> QuickBooksError:
    return QuickBooksError("500", "Unsupported Operation", detail)


def invalid_property(name: str, entity: str) -> QuickBooksError:
    return QuickBooksError(
        "2010",
        "Request has invalid or unsupported property",
        f'Property Name:Unrecognized field "{name}" (class com.intuit.schema.finance.v3.'
        f"{entity}), not marked as ignorable specified value :{name}",
        name,
    )


def stale(entity: str) -> QuickBooksError:
    return QuickBooksError(
        "5010",
        "Stale Object Error",
        "Stale Object Error : You and API API were working on this at the same time. "
        "API API finished before you did, so your work was not saved.",
    )


def system_fault(
    detail: str = "System Failure Error: An unexpected error occurred",
) -> QuickBooksError:
    return QuickBooksError(
        "10000",
        "An application error has occurred while processing your request",
        detail,
        status=500,
        fault_type="SystemFault",
    )


def throttle() -> QuickBooksError:
    return QuickBooksError(
        "3001",
        "message=ThrottleExceeded; errorCode=003001; statusCode=429",
        "The request limit was reached.  Try again later",
        status=429,
        fault_type="SERVICE",
    )


def authorization_failed() -> QuickBooksError:
    return QuickBooksError(
        "3100",
        "message=AuthorizationFailed; errorCode=003100; statusCode=403",
        "",
        status=403,
        fault_type="SERVICE",
    )
