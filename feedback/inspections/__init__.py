"""Young Inspectors' reports: recording and reading them and the provider's response
(``services``), the standards (``standards``), a report as other pages show it
(``sections``), its photos and PDFs (``files``), the checks they share (``checks``); pages
(``routes``, one blueprint, ``inspections``)."""
