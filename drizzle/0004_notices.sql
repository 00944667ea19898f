CREATE TABLE "notice_entries" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"notice_id" uuid NOT NULL,
	"row_no" integer NOT NULL,
	"data" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notices" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"region_code" text NOT NULL,
	"department_code" text NOT NULL,
	"domain_code" text NOT NULL,
	"item_key" text,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"body" text DEFAULT '' NOT NULL,
	"attachments" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"rule_code" text NOT NULL,
	"channels" text[] NOT NULL,
	"notarization" jsonb,
	"columns" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"retention" jsonb NOT NULL,
	"privacy_assessment" jsonb,
	"entry_count" integer DEFAULT 0 NOT NULL,
	"formed_at" timestamp with time zone,
	"publish_due_at" timestamp with time zone,
	"materials_received_at" timestamp with time zone,
	"decision_due_at" timestamp with time zone,
	"decided_at" timestamp with time zone,
	"requested_start_at" timestamp with time zone,
	"starts_at" timestamp with time zone,
	"first_day" date,
	"last_day" date,
	"ends_at" timestamp with time zone,
	"calendar_status" text,
	"conclusion" text,
	"concluded_at" timestamp with time zone,
	"concluded_by" text,
	"revision_of" uuid,
	"revised_by" uuid,
	"revision" integer DEFAULT 1 NOT NULL,
	"search_text" text DEFAULT '' NOT NULL,
	"review_state" text DEFAULT 'draft' NOT NULL,
	"author_id" text NOT NULL,
	"author_name" text NOT NULL,
	"submitted_at" timestamp with time zone,
	"reviewer_id" text,
	"reviewer_name" text,
	"reviewed_at" timestamp with time zone,
	"review_comment" text,
	"approved_at" timestamp with time zone,
	"published_at" timestamp with time zone,
	"publisher_name" text,
	"withdrawn_at" timestamp with time zone,
	"withdrawn_reason" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "objections" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"receipt" text NOT NULL,
	"notice_id" uuid NOT NULL,
	"entry_row" integer,
	"objector_name" text NOT NULL,
	"objector_contact" text NOT NULL,
	"reason" text NOT NULL,
	"channel" text NOT NULL,
	"client_address_hash" text,
	"status" text DEFAULT 'open' NOT NULL,
	"assignee" text,
	"reply" text,
	"resolved_at" timestamp with time zone,
	"resolved_by" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "notice_entries" ADD CONSTRAINT "notice_entries_notice_id_notices_id_fk" FOREIGN KEY ("notice_id") REFERENCES "public"."notices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "objections" ADD CONSTRAINT "objections_notice_id_notices_id_fk" FOREIGN KEY ("notice_id") REFERENCES "public"."notices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "notice_entries_row_uq" ON "notice_entries" USING btree ("notice_id","row_no");--> statement-breakpoint
CREATE INDEX "notices_public_idx" ON "notices" USING btree ("region_code","review_state","ends_at","starts_at");--> statement-breakpoint
CREATE INDEX "notices_department_idx" ON "notices" USING btree ("region_code","department_code","updated_at");--> statement-breakpoint
CREATE INDEX "notices_updated_idx" ON "notices" USING btree ("region_code","updated_at","id");--> statement-breakpoint
CREATE INDEX "notices_decision_due_idx" ON "notices" USING btree ("region_code","decision_due_at");--> statement-breakpoint
CREATE UNIQUE INDEX "objections_receipt_uq" ON "objections" USING btree ("receipt");--> statement-breakpoint
CREATE INDEX "objections_notice_idx" ON "objections" USING btree ("notice_id","created_at");