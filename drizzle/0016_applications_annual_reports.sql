CREATE TABLE "application_consultations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"application_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"consultee" text NOT NULL,
	"consultee_kind" text NOT NULL,
	"letter" text,
	"sent_at" timestamp with time zone NOT NULL,
	"due_date" date NOT NULL,
	"answered_at" timestamp with time zone,
	"answer" text
);
--> statement-breakpoint
CREATE TABLE "application_remedies" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"application_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"kind" text NOT NULL,
	"filed_at" timestamp with time zone NOT NULL,
	"outcome" text DEFAULT 'pending' NOT NULL,
	"decided_at" timestamp with time zone,
	"case_number" text
);
--> statement-breakpoint
CREATE TABLE "application_replies" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"application_id" uuid NOT NULL,
	"outcome" text NOT NULL,
	"reason" text,
	"legal_basis" text NOT NULL,
	"document_title" text NOT NULL,
	"document_number" text,
	"content" text DEFAULT '' NOT NULL,
	"delivery_method" text NOT NULL,
	"delivered_at" timestamp with time zone,
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
CREATE TABLE "applications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"receipt" text NOT NULL,
	"region_code" text NOT NULL,
	"department_code" text NOT NULL,
	"channel" text NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"receipt_evidence" text,
	"applicant_type" text NOT NULL,
	"applicant_name" text NOT NULL,
	"applicant_id_number" text,
	"applicant_phone" text,
	"applicant_address" text,
	"request" text NOT NULL,
	"description" text,
	"item_key" text,
	"correction_requested_at" timestamp with time zone,
	"correction_items" text,
	"correction_due_date" date,
	"corrected_at" timestamp with time zone,
	"extension_days" integer,
	"extension_reason" text,
	"extension_requested_by_id" text,
	"extension_requested_by" text,
	"extension_requested_at" timestamp with time zone,
	"extension_approved_by" text,
	"extension_approved_at" timestamp with time zone,
	"fee_amount" numeric(12, 2),
	"fee_noticed_at" timestamp with time zone,
	"fee_due_date" date,
	"fee_paid_at" timestamp with time zone,
	"client_address_hash" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "annual_reports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"region_code" text NOT NULL,
	"year" integer NOT NULL,
	"scope_key" text NOT NULL,
	"department_code" text,
	"overview" text DEFAULT '' NOT NULL,
	"problems" text DEFAULT '' NOT NULL,
	"other_matters" text DEFAULT '' NOT NULL,
	"proactive" jsonb,
	"frozen" jsonb,
	"frozen_at" timestamp with time zone,
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
ALTER TABLE "application_consultations" ADD CONSTRAINT "application_consultations_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "application_remedies" ADD CONSTRAINT "application_remedies_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "application_replies" ADD CONSTRAINT "application_replies_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "application_consultations_seq_uq" ON "application_consultations" USING btree ("application_id","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "application_remedies_seq_uq" ON "application_remedies" USING btree ("application_id","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "application_replies_application_uq" ON "application_replies" USING btree ("application_id");--> statement-breakpoint
CREATE UNIQUE INDEX "applications_receipt_uq" ON "applications" USING btree ("receipt");--> statement-breakpoint
CREATE INDEX "applications_department_idx" ON "applications" USING btree ("region_code","department_code","received_at","id");--> statement-breakpoint
CREATE INDEX "applications_region_idx" ON "applications" USING btree ("region_code","received_at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "annual_reports_scope_uq" ON "annual_reports" USING btree ("region_code","year","scope_key");