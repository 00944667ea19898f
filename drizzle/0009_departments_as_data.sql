CREATE TABLE "department_aliases" (
	"region_code" text NOT NULL,
	"alias_key" text NOT NULL,
	"alias" text NOT NULL,
	"department_id" uuid NOT NULL,
	CONSTRAINT "department_aliases_pk" PRIMARY KEY("region_code","alias_key")
);
--> statement-breakpoint
CREATE TABLE "department_history" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"department_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"action" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor_name" text NOT NULL,
	"actor_id" text,
	"state" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "domain_aliases" (
	"alias_key" text PRIMARY KEY NOT NULL,
	"alias" text NOT NULL,
	"domain_code" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "departments" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "departments" ADD COLUMN "retired_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "departments" ADD COLUMN "merged_into_id" uuid;--> statement-breakpoint
ALTER TABLE "domains" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "department_aliases" ADD CONSTRAINT "department_aliases_region_code_regions_code_fk" FOREIGN KEY ("region_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "department_aliases" ADD CONSTRAINT "department_aliases_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "department_history" ADD CONSTRAINT "department_history_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "domain_aliases" ADD CONSTRAINT "domain_aliases_domain_code_domains_code_fk" FOREIGN KEY ("domain_code") REFERENCES "public"."domains"("code") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "department_aliases_department_idx" ON "department_aliases" USING btree ("department_id");--> statement-breakpoint
CREATE INDEX "department_history_department_idx" ON "department_history" USING btree ("department_id","seq");--> statement-breakpoint
ALTER TABLE "departments" ADD CONSTRAINT "departments_merged_into_id_departments_id_fk" FOREIGN KEY ("merged_into_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;