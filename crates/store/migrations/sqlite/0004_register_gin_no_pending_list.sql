-- Kept in step with the PostgreSQL migration of the same number (a GIN setting there); here, fresh
-- planner statistics for the register.
ANALYZE register_entries;
