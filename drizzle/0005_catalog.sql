CREATE TABLE "catalog_item_changes" (
	"item_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"action" text NOT NULL,
	"actor_type" text NOT NULL,
	"actor_id" text,
	"actor_name" text NOT NULL,
	"request_id" text,
	"at" timestamp with time zone NOT NULL,
	"changes" jsonb NOT NULL,
	CONSTRAINT "catalog_item_changes_item_id_version_pk" PRIMARY KEY("item_id","version")
);
--> statement-breakpoint
CREATE TABLE "catalog_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"region_code" text NOT NULL,
	"key" text NOT NULL,
	"domain" text NOT NULL,
	"first_level" text NOT NULL,
	"second_level" text NOT NULL,
	"third_level" text,
	"content" jsonb NOT NULL,
	"basis" jsonb NOT NULL,
	"time_limit" jsonb NOT NULL,
	"department_code" text NOT NULL,
	"channels" text[] NOT NULL,
	"channels_other" text,
	"audience" jsonb NOT NULL,
	"proactive" boolean NOT NULL,
	"on_request" boolean NOT NULL,
	"levels" text[] NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"search_text" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "catalog_settings" (
	"region_code" text PRIMARY KEY NOT NULL,
	"levels" text[] NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "catalog_version_items" (
	"version_id" uuid NOT NULL,
	"key" text NOT NULL,
	"domain" text NOT NULL,
	"department_code" text NOT NULL,
	"levels" text[] NOT NULL,
	"proactive" boolean NOT NULL,
	"on_request" boolean NOT NULL,
	"search_text" text NOT NULL,
	"data" jsonb NOT NULL,
	CONSTRAINT "catalog_version_items_version_id_key_pk" PRIMARY KEY("version_id","key")
);
--> statement-breakpoint
CREATE TABLE "catalog_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"region_code" text NOT NULL,
	"number" integer NOT NULL,
	"change_note" text NOT NULL,
	"item_count" integer NOT NULL,
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
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "catalog_item_changes" ADD CONSTRAINT "catalog_item_changes_item_id_catalog_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."catalog_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalog_items" ADD CONSTRAINT "catalog_items_region_code_regions_code_fk" FOREIGN KEY ("region_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalog_items" ADD CONSTRAINT "catalog_items_domain_domains_code_fk" FOREIGN KEY ("domain") REFERENCES "public"."domains"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalog_items" ADD CONSTRAINT "catalog_items_department_fk" FOREIGN KEY ("region_code","department_code") REFERENCES "public"."departments"("region_code","code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalog_settings" ADD CONSTRAINT "catalog_settings_region_code_regions_code_fk" FOREIGN KEY ("region_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalog_version_items" ADD CONSTRAINT "catalog_version_items_version_id_catalog_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."catalog_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalog_versions" ADD CONSTRAINT "catalog_versions_region_code_regions_code_fk" FOREIGN KEY ("region_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "catalog_items_region_key_uq" ON "catalog_items" USING btree ("region_code","key");--> statement-breakpoint
CREATE INDEX "catalog_items_region_updated_idx" ON "catalog_items" USING btree ("region_code","updated_at");--> statement-breakpoint
CREATE INDEX "catalog_items_region_department_idx" ON "catalog_items" USING btree ("region_code","department_code");--> statement-breakpoint
CREATE INDEX "catalog_items_region_domain_idx" ON "catalog_items" USING btree ("region_code","domain");--> statement-breakpoint
CREATE UNIQUE INDEX "catalog_versions_region_number_uq" ON "catalog_versions" USING btree ("region_code","number");--> statement-breakpoint
CREATE INDEX "catalog_versions_region_state_number_idx" ON "catalog_versions" USING btree ("region_code","review_state","number");