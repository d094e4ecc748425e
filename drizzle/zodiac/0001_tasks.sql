ALTER TABLE "zodiac_tasks" ALTER COLUMN "status" SET DEFAULT 'queued';--> statement-breakpoint
ALTER TABLE "zodiac_tasks" ADD COLUMN "attempts" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "zodiac_tasks" ADD COLUMN "lease_owner" uuid;--> statement-breakpoint
ALTER TABLE "zodiac_tasks" ADD COLUMN "started_at" timestamp with time zone;--> statement-breakpoint
-- core/tasks: analyses use the shared task columns. pending → queued, analyzing → running;
-- claims become attempts. A running task has no lease owner: it is taken over when its lease ends.
UPDATE "zodiac_tasks" SET
  "status" = CASE "status" WHEN 'pending' THEN 'queued' WHEN 'analyzing' THEN 'running' ELSE "status" END,
  "attempts" = "claims";
--> statement-breakpoint
DROP INDEX "zodiac_tasks_open_idx";--> statement-breakpoint
CREATE INDEX "zodiac_tasks_open_idx" ON "zodiac_tasks" USING btree ("status") WHERE "zodiac_tasks"."status" in ('queued', 'running');--> statement-breakpoint
ALTER TABLE "zodiac_tasks" DROP COLUMN "claims";--> statement-breakpoint
ALTER TABLE "zodiac_tasks" ADD CONSTRAINT "zodiac_tasks_status_check" CHECK ("zodiac_tasks"."status" in ('queued', 'running', 'done', 'failed'));
