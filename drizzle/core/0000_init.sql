CREATE TABLE "core_sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"app" text NOT NULL,
	"user_id" bigint NOT NULL,
	"refresh_jti" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"refreshed_at" timestamp with time zone,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"revoked_reason" text
);
--> statement-breakpoint
CREATE INDEX "core_sessions_app_user_idx" ON "core_sessions" USING btree ("app","user_id");