"""The wizard's first page: what connecting takes."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWizardPage


class WelcomePage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(self.tr("Connect Scoro to QuickBooks Online"))
        text = QLabel(
            self.tr(
                "<p>This assistant pairs one Scoro entity (company account) with one QuickBooks "
                "Online company. You will need:</p>"
                "<ul><li>your Scoro site address and an API key;</li>"
                "<li>the client id and secret of your QuickBooks app "
                "(Intuit developer portal);</li>"
                "<li>to sign in to QuickBooks in your browser and choose the company.</li></ul>"
                "<p>Nothing is synced until you have checked the settings at the end.</p>"
                "<p><b>QuickBooks Online only — QuickBooks Desktop is not supported.</b></p>"
                "<p>A Scoro site with several entities can connect each entity to a different "
                "QuickBooks company: run this assistant once per entity.</p>"
            )
        )
        text.setObjectName("welcomeText")
        text.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addStretch(1)
