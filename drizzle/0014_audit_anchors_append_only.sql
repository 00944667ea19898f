-- Audit anchors are append-only like the log they anchor (the same refusal function as migration 0002).
-- (Custom migration: drizzle-kit cannot express triggers.) Whoever can drop these triggers can delete
-- anchors too; that is what the copies outside the database (log output, data directory) are for.
CREATE TRIGGER audit_anchors_no_update_delete BEFORE UPDATE OR DELETE ON audit_anchors
  FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
--> statement-breakpoint
CREATE TRIGGER audit_anchors_no_truncate BEFORE TRUNCATE ON audit_anchors
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
