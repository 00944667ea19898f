DROP INDEX "notices_department_idx";--> statement-breakpoint
CREATE INDEX "notices_domain_idx" ON "notices" USING btree ("region_code","domain_code","updated_at","id");--> statement-breakpoint
CREATE INDEX "notices_open_idx" ON "notices" USING btree ("region_code","updated_at","id","ends_at","starts_at") WHERE review_state = 'published' and conclusion is null;--> statement-breakpoint
CREATE INDEX "notices_open_department_idx" ON "notices" USING btree ("region_code","department_code","updated_at","id","ends_at","starts_at") WHERE review_state = 'published' and conclusion is null;--> statement-breakpoint
CREATE INDEX "notices_open_domain_idx" ON "notices" USING btree ("region_code","domain_code","updated_at","id","ends_at","starts_at") WHERE review_state = 'published' and conclusion is null;--> statement-breakpoint
CREATE INDEX "notices_department_idx" ON "notices" USING btree ("region_code","department_code","updated_at","id");