CREATE TABLE "auth_users" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"username" varchar(150) NOT NULL,
	"password_hash" text NOT NULL,
	"nickname" varchar(128) NOT NULL,
	"email" varchar(254),
	"is_active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_login" timestamp with time zone
);
--> statement-breakpoint
CREATE UNIQUE INDEX "auth_users_username_key" ON "auth_users" USING btree ("username");--> statement-breakpoint
CREATE UNIQUE INDEX "auth_users_nickname_key" ON "auth_users" USING btree ("nickname");--> statement-breakpoint
CREATE UNIQUE INDEX "auth_users_email_key" ON "auth_users" USING btree ("email") WHERE "auth_users"."email" is not null;