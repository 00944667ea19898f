-- Names recorded on content are published (review.author, item history, objection replies): from now
-- on they are display names, never login names (issue 14 #6: a public login name is what lets anyone
-- aim sign-in failures at a reviewer). Rows written before recorded the login name (username or client
-- id, both unique); they get the display name (or the client's name). Custom migration: a data backfill.
-- The audit log keeps login names (it is not public, and it is append-only).
UPDATE "catalog_versions" SET "author_name" = u.display_name FROM users u WHERE "catalog_versions"."author_name" = u.username;
--> statement-breakpoint
UPDATE "catalog_versions" SET "author_name" = k.name FROM api_clients k WHERE "catalog_versions"."author_name" = k.client_id;
--> statement-breakpoint
UPDATE "catalog_versions" SET "reviewer_name" = u.display_name FROM users u WHERE "catalog_versions"."reviewer_name" = u.username;
--> statement-breakpoint
UPDATE "catalog_versions" SET "reviewer_name" = k.name FROM api_clients k WHERE "catalog_versions"."reviewer_name" = k.client_id;
--> statement-breakpoint
UPDATE "catalog_versions" SET "publisher_name" = u.display_name FROM users u WHERE "catalog_versions"."publisher_name" = u.username;
--> statement-breakpoint
UPDATE "catalog_versions" SET "publisher_name" = k.name FROM api_clients k WHERE "catalog_versions"."publisher_name" = k.client_id;
--> statement-breakpoint
UPDATE "notices" SET "author_name" = u.display_name FROM users u WHERE "notices"."author_name" = u.username;
--> statement-breakpoint
UPDATE "notices" SET "author_name" = k.name FROM api_clients k WHERE "notices"."author_name" = k.client_id;
--> statement-breakpoint
UPDATE "notices" SET "reviewer_name" = u.display_name FROM users u WHERE "notices"."reviewer_name" = u.username;
--> statement-breakpoint
UPDATE "notices" SET "reviewer_name" = k.name FROM api_clients k WHERE "notices"."reviewer_name" = k.client_id;
--> statement-breakpoint
UPDATE "notices" SET "publisher_name" = u.display_name FROM users u WHERE "notices"."publisher_name" = u.username;
--> statement-breakpoint
UPDATE "notices" SET "publisher_name" = k.name FROM api_clients k WHERE "notices"."publisher_name" = k.client_id;
--> statement-breakpoint
UPDATE "notices" SET "concluded_by" = u.display_name FROM users u WHERE "notices"."concluded_by" = u.username;
--> statement-breakpoint
UPDATE "notices" SET "concluded_by" = k.name FROM api_clients k WHERE "notices"."concluded_by" = k.client_id;
--> statement-breakpoint
UPDATE "objections" SET "resolved_by" = u.display_name FROM users u WHERE "objections"."resolved_by" = u.username;
--> statement-breakpoint
UPDATE "objections" SET "resolved_by" = k.name FROM api_clients k WHERE "objections"."resolved_by" = k.client_id;
--> statement-breakpoint
UPDATE "posts" SET "author_name" = u.display_name FROM users u WHERE "posts"."author_name" = u.username;
--> statement-breakpoint
UPDATE "posts" SET "author_name" = k.name FROM api_clients k WHERE "posts"."author_name" = k.client_id;
--> statement-breakpoint
UPDATE "posts" SET "reviewer_name" = u.display_name FROM users u WHERE "posts"."reviewer_name" = u.username;
--> statement-breakpoint
UPDATE "posts" SET "reviewer_name" = k.name FROM api_clients k WHERE "posts"."reviewer_name" = k.client_id;
--> statement-breakpoint
UPDATE "posts" SET "publisher_name" = u.display_name FROM users u WHERE "posts"."publisher_name" = u.username;
--> statement-breakpoint
UPDATE "posts" SET "publisher_name" = k.name FROM api_clients k WHERE "posts"."publisher_name" = k.client_id;
--> statement-breakpoint
UPDATE "reports" SET "author_name" = u.display_name FROM users u WHERE "reports"."author_name" = u.username;
--> statement-breakpoint
UPDATE "reports" SET "author_name" = k.name FROM api_clients k WHERE "reports"."author_name" = k.client_id;
--> statement-breakpoint
UPDATE "reports" SET "editor_name" = u.display_name FROM users u WHERE "reports"."editor_name" = u.username;
--> statement-breakpoint
UPDATE "reports" SET "editor_name" = k.name FROM api_clients k WHERE "reports"."editor_name" = k.client_id;
--> statement-breakpoint
UPDATE "reports" SET "submitter_name" = u.display_name FROM users u WHERE "reports"."submitter_name" = u.username;
--> statement-breakpoint
UPDATE "reports" SET "submitter_name" = k.name FROM api_clients k WHERE "reports"."submitter_name" = k.client_id;
--> statement-breakpoint
UPDATE "reports" SET "reviewer_name" = u.display_name FROM users u WHERE "reports"."reviewer_name" = u.username;
--> statement-breakpoint
UPDATE "reports" SET "reviewer_name" = k.name FROM api_clients k WHERE "reports"."reviewer_name" = k.client_id;
--> statement-breakpoint
UPDATE "review_events" SET "actor_name" = u.display_name FROM users u WHERE "review_events"."actor_name" = u.username;
--> statement-breakpoint
UPDATE "review_events" SET "actor_name" = k.name FROM api_clients k WHERE "review_events"."actor_name" = k.client_id;
--> statement-breakpoint
UPDATE "catalog_item_changes" SET "actor_name" = u.display_name FROM users u WHERE "catalog_item_changes"."actor_name" = u.username;
--> statement-breakpoint
UPDATE "catalog_item_changes" SET "actor_name" = k.name FROM api_clients k WHERE "catalog_item_changes"."actor_name" = k.client_id;

--> statement-breakpoint
UPDATE "notices" SET "decision_recorded_by" = u.display_name FROM users u WHERE "notices"."decision_recorded_by" = u.username;
--> statement-breakpoint
UPDATE "notices" SET "decision_recorded_by" = k.name FROM api_clients k WHERE "notices"."decision_recorded_by" = k.client_id;
