CREATE TABLE "zodiac_pictures" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"uuid" uuid DEFAULT gen_random_uuid() NOT NULL,
	"user_id" bigint NOT NULL,
	"original_key" varchar(80) NOT NULL,
	"thumbnail_key" varchar(80) NOT NULL,
	"mime" varchar(20) NOT NULL,
	"width" integer NOT NULL,
	"height" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "zodiac_results" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"user_id" bigint NOT NULL,
	"picture_id" bigint NOT NULL,
	"animal_id" smallint NOT NULL,
	"rank" smallint NOT NULL,
	"similarity" double precision NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "zodiac_tasks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" bigint NOT NULL,
	"picture_id" bigint NOT NULL,
	"status" varchar(12) DEFAULT 'pending' NOT NULL,
	"claims" integer DEFAULT 0 NOT NULL,
	"lease_until" timestamp with time zone,
	"error_code" varchar(40),
	"challenge_id" smallint,
	"detail" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "zodiac_user_challenges" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"user_id" bigint NOT NULL,
	"challenge_id" smallint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "zodiac_users" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"uuid" uuid DEFAULT gen_random_uuid() NOT NULL,
	"username" varchar(20) NOT NULL,
	"alias" varchar(20) NOT NULL,
	"email" varchar(200) NOT NULL,
	"password_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "zodiac_pictures" ADD CONSTRAINT "zodiac_pictures_user_id_zodiac_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."zodiac_users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "zodiac_results" ADD CONSTRAINT "zodiac_results_user_id_zodiac_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."zodiac_users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "zodiac_results" ADD CONSTRAINT "zodiac_results_picture_id_zodiac_pictures_id_fk" FOREIGN KEY ("picture_id") REFERENCES "public"."zodiac_pictures"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "zodiac_tasks" ADD CONSTRAINT "zodiac_tasks_user_id_zodiac_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."zodiac_users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "zodiac_tasks" ADD CONSTRAINT "zodiac_tasks_picture_id_zodiac_pictures_id_fk" FOREIGN KEY ("picture_id") REFERENCES "public"."zodiac_pictures"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "zodiac_user_challenges" ADD CONSTRAINT "zodiac_user_challenges_user_id_zodiac_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."zodiac_users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "zodiac_pictures_uuid_key" ON "zodiac_pictures" USING btree ("uuid");--> statement-breakpoint
CREATE INDEX "zodiac_pictures_user_idx" ON "zodiac_pictures" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "zodiac_results_picture_rank_key" ON "zodiac_results" USING btree ("picture_id","rank");--> statement-breakpoint
CREATE INDEX "zodiac_results_top_idx" ON "zodiac_results" USING btree ("created_at") WHERE "zodiac_results"."rank" = 1;--> statement-breakpoint
CREATE INDEX "zodiac_results_user_idx" ON "zodiac_results" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "zodiac_tasks_picture_key" ON "zodiac_tasks" USING btree ("picture_id");--> statement-breakpoint
CREATE INDEX "zodiac_tasks_open_idx" ON "zodiac_tasks" USING btree ("status") WHERE "zodiac_tasks"."status" in ('pending', 'analyzing');--> statement-breakpoint
CREATE UNIQUE INDEX "zodiac_user_challenges_key" ON "zodiac_user_challenges" USING btree ("user_id","challenge_id");--> statement-breakpoint
CREATE UNIQUE INDEX "zodiac_users_uuid_key" ON "zodiac_users" USING btree ("uuid");--> statement-breakpoint
CREATE UNIQUE INDEX "zodiac_users_username_key" ON "zodiac_users" USING btree (lower("username"));--> statement-breakpoint
CREATE UNIQUE INDEX "zodiac_users_alias_key" ON "zodiac_users" USING btree ("alias");--> statement-breakpoint
CREATE UNIQUE INDEX "zodiac_users_email_key" ON "zodiac_users" USING btree (lower("email"));