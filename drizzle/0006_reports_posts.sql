CREATE TABLE "report_settings" (
	"region_code" text PRIMARY KEY NOT NULL,
	"due_rule" jsonb NOT NULL,
	"departments" text[],
	"pilot_phases" jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"region_code" text NOT NULL,
	"department_code" text NOT NULL,
	"type" text NOT NULL,
	"period" text NOT NULL,
	"progress" text DEFAULT '' NOT NULL,
	"practices" text DEFAULT '' NOT NULL,
	"results" text DEFAULT '' NOT NULL,
	"difficulties" text DEFAULT '' NOT NULL,
	"next_steps" text DEFAULT '' NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"figures" jsonb,
	"figures_at" timestamp with time zone,
	"author_id" text NOT NULL,
	"author_name" text NOT NULL,
	"editor_name" text NOT NULL,
	"first_submitted_at" timestamp with time zone,
	"submitted_at" timestamp with time zone,
	"submitter_id" text,
	"submitter_name" text,
	"reviewed_at" timestamp with time zone,
	"reviewer_id" text,
	"reviewer_name" text,
	"review_comment" text,
	"accepted_at" timestamp with time zone,
	"return_count" integer DEFAULT 0 NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "posts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"region_code" text NOT NULL,
	"department_code" text NOT NULL,
	"domain_code" text,
	"category" text NOT NULL,
	"title" text NOT NULL,
	"summary" text DEFAULT '' NOT NULL,
	"body" text DEFAULT '' NOT NULL,
	"cover_image_url" text,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
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
CREATE TABLE "assessment_settings" (
	"region_code" text PRIMARY KEY NOT NULL,
	"weights" jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "report_settings" ADD CONSTRAINT "report_settings_region_code_regions_code_fk" FOREIGN KEY ("region_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_department_fk" FOREIGN KEY ("region_code","department_code") REFERENCES "public"."departments"("region_code","code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "posts" ADD CONSTRAINT "posts_domain_code_domains_code_fk" FOREIGN KEY ("domain_code") REFERENCES "public"."domains"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "posts" ADD CONSTRAINT "posts_department_fk" FOREIGN KEY ("region_code","department_code") REFERENCES "public"."departments"("region_code","code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_settings" ADD CONSTRAINT "assessment_settings_region_code_regions_code_fk" FOREIGN KEY ("region_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "reports_department_period_uq" ON "reports" USING btree ("region_code","department_code","type","period");--> statement-breakpoint
CREATE INDEX "reports_period_idx" ON "reports" USING btree ("region_code","type","period");--> statement-breakpoint
CREATE INDEX "reports_updated_idx" ON "reports" USING btree ("region_code","updated_at","id");--> statement-breakpoint
CREATE INDEX "posts_public_idx" ON "posts" USING btree ("region_code","review_state","updated_at","id");--> statement-breakpoint
CREATE INDEX "posts_department_idx" ON "posts" USING btree ("region_code","department_code","updated_at");