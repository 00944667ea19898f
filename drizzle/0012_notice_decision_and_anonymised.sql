ALTER TABLE "notices" ADD COLUMN "decision_recorded_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "notices" ADD COLUMN "decision_recorded_by" text;--> statement-breakpoint
ALTER TABLE "notices" ADD COLUMN "list_anonymised_at" timestamp with time zone;