-- The closed-loop KPIs measure in business hours of the ticket's unit calendar (the SLA's
-- clock): the business minutes from opening to acknowledging and to resolving are kept on
-- the ticket when it moves, so the KPI summary averages columns. Rows from before this
-- migration are filled in by the loop.kpi_durations job.
ALTER TABLE tickets ADD COLUMN ack_business_minutes REAL;
ALTER TABLE tickets ADD COLUMN resolve_business_minutes REAL;
