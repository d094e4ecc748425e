ALTER TABLE "machines_runs" ALTER COLUMN "attempts" SET DATA TYPE integer;--> statement-breakpoint
ALTER TABLE "machines_runs" ADD COLUMN "status" varchar(12) DEFAULT 'queued' NOT NULL;--> statement-breakpoint
ALTER TABLE "machines_runs" ADD COLUMN "lease_owner" uuid;--> statement-breakpoint
ALTER TABLE "machines_runs" ADD COLUMN "error_code" varchar(40);--> statement-breakpoint
-- core/tasks: runs use the shared task columns. Old state → status (+ error code):
--   pending → queued; running, done unchanged; rejected → failed / REJECTED;
--   failed → failed / WORKER_LOST, TASK_FAILED, MACHINE_DELETED or INTERNAL_FAILED (by reason)
UPDATE "machines_runs" SET
  "status" = CASE "state" WHEN 'pending' THEN 'queued' WHEN 'rejected' THEN 'failed' ELSE "state" END,
  "error_code" = CASE
    WHEN "state" = 'rejected' THEN 'REJECTED'
    WHEN "state" = 'failed' THEN CASE "reason"
      WHEN 'worker_lost' THEN 'WORKER_LOST'
      WHEN 'job_failed' THEN 'TASK_FAILED'
      WHEN 'machine_deleted' THEN 'MACHINE_DELETED'
      ELSE 'INTERNAL_FAILED' END
    END,
  "lease_owner" = "lease_token";
--> statement-breakpoint
ALTER TABLE "machines_runs" DROP CONSTRAINT "machines_runs_state_check";--> statement-breakpoint
DROP INDEX "machines_runs_active_key";--> statement-breakpoint
CREATE INDEX "machines_runs_open_idx" ON "machines_runs" USING btree ("status") WHERE "machines_runs"."status" in ('queued', 'running');--> statement-breakpoint
CREATE UNIQUE INDEX "machines_runs_active_key" ON "machines_runs" USING btree ("machine_id") WHERE "machines_runs"."status" in ('queued', 'running');--> statement-breakpoint
ALTER TABLE "machines_runs" DROP COLUMN "state";--> statement-breakpoint
ALTER TABLE "machines_runs" DROP COLUMN "lease_token";--> statement-breakpoint
ALTER TABLE "machines_runs" ADD CONSTRAINT "machines_runs_status_check" CHECK ("machines_runs"."status" in ('queued', 'running', 'done', 'failed'));
