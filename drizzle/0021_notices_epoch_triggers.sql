-- The notices epoch (notices/tables.ts) moves with every committed change to notices or objections.
-- (Custom migration: drizzle-kit cannot express triggers.) Deferred constraint triggers run at commit,
-- after every other lock the transaction takes, so waiting for the epoch row cannot deadlock with the
-- notice rows that writers lock FOR UPDATE, and the row lock orders the bumps by commit (as event_head
-- does for the feed). Once per transaction: later rows of the same transaction find `xact` already theirs.
INSERT INTO notices_epoch (id, position) VALUES (1, 0) ON CONFLICT (id) DO NOTHING;
--> statement-breakpoint
CREATE FUNCTION notices_epoch_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE notices_epoch SET position = position + 1, xact = pg_current_xact_id()::text::bigint
   WHERE id = 1 AND xact IS DISTINCT FROM pg_current_xact_id()::text::bigint;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER notices_epoch_on_notices AFTER INSERT OR UPDATE OR DELETE ON notices
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION notices_epoch_bump();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER notices_epoch_on_objections AFTER INSERT OR UPDATE OR DELETE ON objections
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION notices_epoch_bump();
--> statement-breakpoint
CREATE TRIGGER notices_epoch_on_notices_truncate AFTER TRUNCATE ON notices
  FOR EACH STATEMENT EXECUTE FUNCTION notices_epoch_bump();
--> statement-breakpoint
CREATE TRIGGER notices_epoch_on_objections_truncate AFTER TRUNCATE ON objections
  FOR EACH STATEMENT EXECUTE FUNCTION notices_epoch_bump();
