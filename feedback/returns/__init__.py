"""Performance Monitoring Form returns: a provider's return per contract and period,
its states (draft, submitted, returned for correction, accepted), the blank XLSX form and
its upload, supporting files, and the overdue list. Which returns are due: ``due``;
checking what was given: ``checks`` (by the rules of ``values``); saving and moving a
return on: ``services``; its files on disk: ``files``; the XLSX form: ``workbook``."""
