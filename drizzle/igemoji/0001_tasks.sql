ALTER TABLE "igemoji_faces" ALTER COLUMN "status" SET DEFAULT 'queued';--> statement-breakpoint
ALTER TABLE "igemoji_faces" ADD COLUMN "attempts" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "igemoji_faces" ADD COLUMN "lease_owner" uuid;--> statement-breakpoint
ALTER TABLE "igemoji_faces" ADD COLUMN "started_at" timestamp with time zone;--> statement-breakpoint
-- core/tasks: compositing tasks use the shared task columns. pending → queued, processing →
-- running; claims become attempts. A running task has no lease owner: it is taken over when its
-- lease ends.
UPDATE "igemoji_faces" SET
  "status" = CASE "status" WHEN 'pending' THEN 'queued' WHEN 'processing' THEN 'running' ELSE "status" END,
  "attempts" = "claims";
--> statement-breakpoint
DROP INDEX "igemoji_faces_open_idx";--> statement-breakpoint
CREATE INDEX "igemoji_faces_open_idx" ON "igemoji_faces" USING btree ("status") WHERE "igemoji_faces"."status" in ('queued', 'running');--> statement-breakpoint
ALTER TABLE "igemoji_faces" DROP COLUMN "claims";--> statement-breakpoint
ALTER TABLE "igemoji_faces" ADD CONSTRAINT "igemoji_faces_status_check" CHECK ("igemoji_faces"."status" in ('queued', 'running', 'done', 'failed'));
