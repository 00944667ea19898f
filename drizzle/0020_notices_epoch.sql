CREATE TABLE "notices_epoch" (
	"id" smallint PRIMARY KEY NOT NULL,
	"position" bigint NOT NULL,
	"xact" bigint
);
--> statement-breakpoint
CREATE INDEX "notices_open_starts_idx" ON "notices" USING btree ("region_code","starts_at") WHERE review_state = 'published' and conclusion is null;--> statement-breakpoint
CREATE INDEX "notices_open_ends_idx" ON "notices" USING btree ("region_code","ends_at") WHERE review_state = 'published' and conclusion is null;