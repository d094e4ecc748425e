ALTER TABLE "auth_users" ADD COLUMN "is_staff" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "auth_users" ADD COLUMN "is_superuser" boolean DEFAULT false NOT NULL;