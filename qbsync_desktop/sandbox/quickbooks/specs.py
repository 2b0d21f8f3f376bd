"""What each QBO entity is: its resource path, kind, accepted fields and filterable properties.

Field lists follow the names of Intuit's v3 XSD (docs/sandbox.md); a body with a
top-level field outside the list gets the real 2010 "unsupported property" fault (switchable).
"""

from __future__ import annotations

from dataclasses import dataclass

BASE_FIELDS = frozenset({"Id", "SyncToken", "sparse", "domain", "MetaData", "status"})

_NAME_BASE = {
    "DisplayName", "Title", "GivenName", "MiddleName", "FamilyName", "Suffix", "CompanyName",
    "PrintOnCheckName", "Active", "PrimaryEmailAddr", "PrimaryPhone", "Mobile", "AlternatePhone",
    "Fax", "WebAddr", "BillAddr", "OtherAddr", "Notes", "CurrencyRef", "Balance",
    "OpenBalanceDate", "ContactName", "AltContactName", "V4IDPseudonym", "Source",
    "PrimaryTaxIdentifier", "GSTIN", "GSTRegistrationType", "BusinessNumber", "CustomField",
}  # fmt: skip
_TXN_BASE = {
    "DocNumber", "TxnDate", "DepartmentRef", "CurrencyRef", "ExchangeRate", "PrivateNote",
    "TxnStatus", "LinkedTxn", "Line", "TxnTaxDetail", "TxnSource", "ProjectRef",
    "TransactionLocationType", "CustomField", "GlobalTaxCalculation", "TotalAmt", "HomeTotalAmt",
    "RecurDataRef", "TaxExemptionRef", "Attachable",
}  # fmt: skip
_SALES = {
    "CustomerRef", "DueDate", "SalesTermRef", "ClassRef", "BillEmail", "BillEmailCc",
    "BillEmailBcc", "BillAddr", "ShipAddr", "ShipFromAddr", "ShipDate", "ShipMethodRef",
    "TrackingNum", "CustomerMemo", "Balance", "HomeBalance", "ApplyTaxAfterDiscount",
    "EmailStatus", "PrintStatus", "ARAccountRef", "AllowOnlinePayment",
    "AllowOnlineCreditCardPayment", "AllowOnlineACHPayment", "AllowIPNPayment", "DeliveryInfo",
    "DepositToAccountRef", "FreeFormAddress", "PaymentMethodRef", "PaymentRefNum",
}  # fmt: skip


@dataclass(frozen=True)
class Spec:
    name: str
    resource: str
    kind: str  # "name" | "txn" | "attachable" | "singleton"
    fields: frozenset[str]
    queryable: frozenset[str]
    deletable: bool = False
    voidable: bool = False
    cdc: bool = True


def _q(*names: str) -> frozenset[str]:
    return frozenset(
        {"id", "metadata.createtime", "metadata.lastupdatedtime", "status"}
        | {n.lower() for n in names}
    )


SPECS: dict[str, Spec] = {}


def _add(spec: Spec) -> None:
    SPECS[spec.name] = spec


_add(Spec("Customer", "customer", "name", frozenset(_NAME_BASE | {
    "FullyQualifiedName", "ShipAddr", "Job", "ParentRef", "BillWithParent", "Level",
    "BalanceWithJobs", "DefaultTaxCodeRef", "Taxable", "SalesTermRef", "PaymentMethodRef",
    "IsProject", "SecondaryTaxIdentifier", "ResaleNum", "TaxExemptionReasonId",
    "PreferredDeliveryMethod", "ARAccountRef", "CustomerTypeRef", "ClientEntityId",
}), _q(
    "DisplayName", "Title", "GivenName", "MiddleName", "FamilyName", "Suffix", "CompanyName",
    "PrintOnCheckName", "FullyQualifiedName", "Active", "Balance", "BalanceWithJobs", "Job",
    "ParentRef", "IsProject", "PrimaryPhone.FreeFormNumber", "CurrencyRef",
)))  # fmt: skip
_add(Spec("Vendor", "vendor", "name", frozenset(_NAME_BASE | {
    "Vendor1099", "TermRef", "AcctNum", "APAccountRef", "BillRate", "CostRate", "TaxIdentifier",
    "ParentRef", "TaxReportingBasis", "HasTPAR", "T4AEligible", "T5018Eligible",
    "VendorPaymentBankDetail",
}), _q(
    "DisplayName", "Title", "GivenName", "MiddleName", "FamilyName", "Suffix", "CompanyName",
    "PrintOnCheckName", "Active", "Balance", "Vendor1099", "CurrencyRef",
)))  # fmt: skip
_add(Spec("Employee", "employee", "name", frozenset({
    "DisplayName", "Title", "GivenName", "MiddleName", "FamilyName", "Suffix",
    "PrintOnCheckName", "Active", "PrimaryEmailAddr", "PrimaryPhone", "Mobile", "PrimaryAddr",
    "EmployeeNumber", "SSN", "BillableTime", "BillRate", "CostRate", "HiredDate",
    "ReleasedDate", "BirthDate", "Gender", "Organization", "V4IDPseudonym",
}), _q("DisplayName", "GivenName", "FamilyName", "MiddleName", "Active",
       "EmployeeNumber")))  # fmt: skip
_add(Spec("Item", "item", "name", frozenset({
    "Name", "Sku", "Description", "Active", "SubItem", "ParentRef", "Level",
    "FullyQualifiedName", "Type", "UnitPrice", "RatePercent", "Taxable", "SalesTaxIncluded",
    "PurchaseTaxIncluded", "IncomeAccountRef", "PurchaseDesc", "PurchaseCost",
    "ExpenseAccountRef", "COGSAccountRef", "AssetAccountRef", "TrackQtyOnHand", "QtyOnHand",
    "InvStartDate", "SalesTaxCodeRef", "PurchaseTaxCodeRef", "ClassRef", "PrefVendorRef",
    "ReorderPoint", "AbatementRate", "ReverseChargeRate", "ServiceType", "ItemCategoryType",
    "TaxClassificationRef", "UQCDisplayText", "UQCId", "Source",
}), _q("Name", "Active", "Type", "Sku", "FullyQualifiedName", "ParentRef", "SubItem",
       "UnitPrice", "QtyOnHand")))  # fmt: skip
_add(Spec("Account", "account", "name", frozenset({
    "Name", "SubAccount", "ParentRef", "FullyQualifiedName", "Active", "Classification",
    "AccountType", "AccountSubType", "AcctNum", "CurrentBalance",
    "CurrentBalanceWithSubAccounts", "CurrencyRef", "Description", "TaxCodeRef",
    "TxnLocationType", "AccountAlias",
}), _q("Name", "SubAccount", "ParentRef", "FullyQualifiedName", "Active", "Classification",
       "AccountType", "AccountSubType", "CurrentBalance", "CurrentBalanceWithSubAccounts",
       "CurrencyRef")))  # fmt: skip
_add(Spec("Class", "class", "name", frozenset({
    "Name", "SubClass", "ParentRef", "FullyQualifiedName", "Active",
}), _q("Name", "SubClass", "ParentRef", "FullyQualifiedName", "Active")))  # fmt: skip
_add(Spec("TaxCode", "taxcode", "name", frozenset({
    "Name", "Description", "Active", "Hidden", "Taxable", "TaxGroup", "SalesTaxRateList",
    "PurchaseTaxRateList", "AdjustmentTaxRateList", "TaxCodeConfigType",
}), _q("Name", "Active", "Taxable", "TaxGroup", "Hidden"), cdc=False))  # fmt: skip
_add(Spec("TaxRate", "taxrate", "name", frozenset({
    "Name", "Description", "Active", "RateValue", "AgencyRef", "TaxReturnLineRef",
    "EffectiveTaxRate", "SpecialTaxType", "DisplayType", "OriginalTaxRate",
}), _q("Name", "Active", "RateValue", "AgencyRef", "SpecialTaxType", "DisplayType"),
    cdc=False))  # fmt: skip
_TXN_Q = ("DocNumber", "TxnDate", "TotalAmt", "CurrencyRef", "PrivateNote", "ProjectRef")
_add(Spec("Invoice", "invoice", "txn", frozenset(_TXN_BASE | _SALES | {
    "Deposit", "InvoiceLink", "HomeBalance",
}), _q(*_TXN_Q, "CustomerRef", "DueDate", "Balance", "ClassRef", "DepartmentRef",
       "EmailStatus", "PrintStatus"), deletable=True, voidable=True))  # fmt: skip
_add(Spec("CreditMemo", "creditmemo", "txn", frozenset(_TXN_BASE | _SALES | {
    "RemainingCredit", "InvoiceRef",
}), _q(*_TXN_Q, "CustomerRef", "Balance", "RemainingCredit", "ClassRef"),
    deletable=True, voidable=True))  # fmt: skip
_add(Spec("Bill", "bill", "txn", frozenset(_TXN_BASE | {
    "VendorRef", "APAccountRef", "DueDate", "SalesTermRef", "Balance", "HomeBalance",
    "VendorAddr", "RemitToAddr", "ShipAddr",
}), _q(*_TXN_Q, "VendorRef", "DueDate", "Balance", "APAccountRef"),
    deletable=True))  # fmt: skip
_add(Spec("Payment", "payment", "txn", frozenset(_TXN_BASE | {
    "CustomerRef", "UnappliedAmt", "DepositToAccountRef", "ARAccountRef", "PaymentMethodRef",
    "PaymentRefNum", "ProcessPayment", "CreditCardPayment",
}), _q(*_TXN_Q, "CustomerRef", "PaymentRefNum", "UnappliedAmt", "DepositToAccountRef"),
    deletable=True, voidable=True))  # fmt: skip
_add(Spec("BillPayment", "billpayment", "txn", frozenset(_TXN_BASE | {
    "VendorRef", "PayType", "CheckPayment", "CreditCardPayment", "APAccountRef",
    "ProcessBillPayment",
}), _q(*_TXN_Q, "VendorRef", "PayType"), deletable=True, voidable=True))  # fmt: skip
_add(Spec("VendorCredit", "vendorcredit", "txn", frozenset(_TXN_BASE | {
    "VendorRef", "APAccountRef", "Balance", "HomeBalance", "VendorAddr",
}), _q(*_TXN_Q, "VendorRef", "Balance"), deletable=True))  # fmt: skip
_add(Spec("Term", "term", "name", frozenset({
    "Name", "Active", "Type", "DueDays", "DiscountDays", "DiscountPercent", "DayOfMonthDue",
    "DueNextMonthDays", "DiscountDayOfMonth",
}), _q("Name", "Active", "Type", "DueDays")))  # fmt: skip
_add(Spec("PaymentMethod", "paymentmethod", "name", frozenset({
    "Name", "Active", "Type",
}), _q("Name", "Active", "Type")))  # fmt: skip
_add(Spec("Attachable", "attachable", "attachable", frozenset({
    "FileName", "FileAccessUri", "TempDownloadUri", "Size", "ContentType", "Category", "Lat",
    "Long", "PlaceName", "Note", "Tag", "ThumbnailFileAccessUri", "ThumbnailTempDownloadUri",
    "AttachableRef",
}), _q("AttachableRef.EntityRef.Type", "AttachableRef.EntityRef.value",
       "AttachableRef.EntityRef", "FileName", "ContentType", "Category", "Size", "Note",
       "Tag"), deletable=True))  # fmt: skip
_add(Spec("CompanyInfo", "companyinfo", "singleton", frozenset(), _q(), cdc=False))
_add(Spec("Preferences", "preferences", "singleton", frozenset(), _q(), cdc=False))

BY_RESOURCE: dict[str, Spec] = {s.resource: s for s in SPECS.values()}

NAME_ENTITIES_SHARING_DISPLAYNAME = ("Customer", "Vendor", "Employee")
TXN_TYPE_LABEL = {
    "Invoice": "Invoice",
    "CreditMemo": "Credit Memo",
    "Bill": "Bill",
    "Payment": "Payment",
    "BillPayment": "Bill Payment",
    "VendorCredit": "Vendor Credit",
}

CLASSIFICATION = {
    "Bank": "Asset",
    "Accounts Receivable": "Asset",
    "Other Current Asset": "Asset",
    "Fixed Asset": "Asset",
    "Other Asset": "Asset",
    "Accounts Payable": "Liability",
    "Credit Card": "Liability",
    "Other Current Liability": "Liability",
    "Long Term Liability": "Liability",
    "Equity": "Equity",
    "Income": "Revenue",
    "Other Income": "Revenue",
    "Cost of Goods Sold": "Expense",
    "Expense": "Expense",
    "Other Expense": "Expense",
    "Non-Posting": "Asset",
}
DEFAULT_SUBTYPE = {
    "Bank": "Checking",
    "Accounts Receivable": "AccountsReceivable",
    "Other Current Asset": "OtherCurrentAssets",
    "Fixed Asset": "OtherFixedAssets",
    "Other Asset": "OtherLongTermAssets",
    "Accounts Payable": "AccountsPayable",
    "Credit Card": "CreditCard",
    "Other Current Liability": "OtherCurrentLiabilities",
    "Long Term Liability": "OtherLongTermLiabilities",
    "Equity": "OwnersEquity",
    "Income": "SalesOfProductIncome",
    "Other Income": "OtherMiscellaneousIncome",
    "Cost of Goods Sold": "SuppliesMaterialsCogs",
    "Expense": "OfficeGeneralAdministrativeExpenses",
    "Other Expense": "OtherMiscellaneousExpense",
    "Non-Posting": "OtherNonPosting",
}
# Which entity a reference field points at; "*Project" means a Customer with IsProject.
REF_TARGETS = {
    "CustomerRef": "Customer",
    "VendorRef": "Vendor",
    "ItemRef": "Item",
    "ClassRef": "Class",
    "TaxCodeRef": "TaxCode",
    "DefaultTaxCodeRef": "TaxCode",
    "SalesTaxCodeRef": "TaxCode",
    "PurchaseTaxCodeRef": "TaxCode",
    "TxnTaxCodeRef": "TaxCode",
    "TaxRateRef": "TaxRate",
    "AccountRef": "Account",
    "IncomeAccountRef": "Account",
    "ExpenseAccountRef": "Account",
    "COGSAccountRef": "Account",
    "AssetAccountRef": "Account",
    "APAccountRef": "Account",
    "ARAccountRef": "Account",
    "DepositToAccountRef": "Account",
    "BankAccountRef": "Account",
    "CCAccountRef": "Account",
    "DiscountAccountRef": "Account",
    "ProjectRef": "Customer",
    "SalesTermRef": "Term",
    "TermRef": "Term",
    "PaymentMethodRef": "PaymentMethod",
    "GroupItemRef": "Item",
}
# AccountSubType → AccountType, for an Account created with only a subtype (QBO infers the type;
# names from Intuit's AccountSubTypeEnum).
SUBTYPE_TYPE = {
    **{s: "Bank" for s in (
        "CashOnHand", "Checking", "MoneyMarket", "RentsHeldInTrust", "Savings", "TrustAccounts",
    )},
    "AccountsReceivable": "Accounts Receivable",
    **{s: "Other Current Asset" for s in (
        "AllowanceForBadDebts", "DevelopmentCosts", "EmployeeCashAdvances",
        "OtherCurrentAssets", "Inventory", "Investment_MortgageRealEstateLoans",
        "Investment_Other", "Investment_TaxExemptSecurities", "Investment_USGovernmentObligations",
        "LoansToOfficers", "LoansToOthers", "LoansToStockholders", "PrepaidExpenses", "Retainage",
        "UndepositedFunds",
    )},
    **{s: "Fixed Asset" for s in (
        "AccumulatedDepletion", "AccumulatedDepreciation", "DepletableAssets",
        "FixedAssetComputers", "FixedAssetCopiers", "FixedAssetFurniture", "FixedAssetPhone",
        "FixedAssetPhotoVideo",
        "FixedAssetSoftware", "FixedAssetOtherToolsEquipment", "FurnitureAndFixtures", "Land",
        "LeaseholdImprovements", "OtherFixedAssets", "AccumulatedAmortization", "Buildings",
        "IntangibleAssets", "MachineryAndEquipment", "Vehicles",
    )},
    **{s: "Other Asset" for s in (
        "LeaseBuyout", "OtherLongTermAssets", "SecurityDeposits",
        "AccumulatedAmortizationOfOtherAssets", "Goodwill", "Licenses", "OrganizationalCosts",
    )},
    "AccountsPayable": "Accounts Payable",
    "CreditCard": "Credit Card",
    **{s: "Other Current Liability" for s in (
        "DirectDepositPayable", "LineOfCredit", "LoanPayable", "GlobalTaxPayable",
        "GlobalTaxSuspense", "OtherCurrentLiabilities", "PayrollClearing", "PayrollTaxPayable",
        "PrepaidExpensesPayable", "RentsInTrustLiability", "TrustAccountsLiabilities",
        "FederalIncomeTaxPayable", "InsurancePayable", "SalesTaxPayable",
        "StateLocalIncomeTaxPayable",
    )},
    **{s: "Long Term Liability" for s in (
        "NotesPayable", "OtherLongTermLiabilities", "ShareholderNotesPayable",
    )},
    **{s: "Equity" for s in (
        "OpeningBalanceEquity", "PartnersEquity", "RetainedEarnings",
        "AccumulatedAdjustment", "OwnersEquity", "PaidInCapitalOrSurplus", "PartnerContributions",
        "PartnerDistributions", "PreferredStock", "CommonStock", "TreasuryStock",
        "EstimatedTaxes", "Healthcare", "PersonalIncome", "PersonalExpense",
    )},
    **{s: "Income" for s in (
        "NonProfitIncome", "OtherPrimaryIncome", "SalesOfProductIncome", "ServiceFeeIncome",
        "DiscountsRefundsGiven", "UnappliedCashPaymentIncome",
    )},
    **{s: "Cost of Goods Sold" for s in (
        "EquipmentRentalCos", "OtherCostsOfServiceCos", "ShippingFreightDeliveryCos",
        "SuppliesMaterialsCogs", "CostOfLaborCos",
    )},
    **{s: "Expense" for s in (
        "AdvertisingPromotional", "BadDebts", "BankCharges", "CharitableContributions",
        "CommissionsAndFees", "Entertainment", "EntertainmentMeals", "EquipmentRental",
        "FinanceCosts", "GlobalTaxExpense", "Insurance", "InterestPaid", "LegalProfessionalFees",
        "OfficeExpenses", "OfficeGeneralAdministrativeExpenses", "OtherBusinessExpenses",
        "OtherMiscellaneousServiceCost", "PromotionalMeals", "RentOrLeaseOfBuildings",
        "RepairMaintenance", "ShippingFreightDelivery", "SuppliesMaterials", "Travel",
        "TravelMeals", "Utilities", "Auto", "CostOfLabor", "DuesSubscriptions",
        "PayrollExpenses", "TaxesPaid", "UnappliedCashBillPaymentExpense",
    )},
    **{s: "Other Income" for s in (
        "DividendIncome", "InterestEarned", "OtherInvestmentIncome", "OtherMiscellaneousIncome",
        "TaxExemptInterest", "GainLossOnSaleOfFixedAssets",
    )},
    **{s: "Other Expense" for s in (
        "Depreciation", "ExchangeGainOrLoss", "OtherMiscellaneousExpense", "PenaltiesSettlements",
        "Amortization", "GasAndFuel", "HomeOffice", "HomeOwnerRentalInsurance",
        "OtherHomeOfficeExpenses", "MortgageInterest", "ParkingAndTolls", "Vehicle",
        "VehicleInsurance", "VehicleLease", "VehicleLoanInterest", "VehicleLoan",
        "VehicleRegistration", "VehicleRepairs", "WashAndRoadServices",
    )},
    "OtherNonPosting": "Non-Posting",
}  # fmt: skip
