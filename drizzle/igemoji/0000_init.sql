CREATE TABLE "igemoji_emojis" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"user_id" bigint,
	"name" varchar(200) NOT NULL,
	"images" text[] NOT NULL,
	"builtin_key" varchar(40),
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "igemoji_emojis_seven_images" CHECK (cardinality("igemoji_emojis"."images") = 7)
);
--> statement-breakpoint
CREATE TABLE "igemoji_faces" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"task_id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"user_id" bigint NOT NULL,
	"emoji_id" bigint NOT NULL,
	"image_key" varchar(80) NOT NULL,
	"status" varchar(12) DEFAULT 'pending' NOT NULL,
	"claims" smallint DEFAULT 0 NOT NULL,
	"lease_until" timestamp with time zone,
	"error_code" varchar(40),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "igemoji_results" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"uuid" uuid DEFAULT gen_random_uuid() NOT NULL,
	"user_id" bigint NOT NULL,
	"face_id" bigint NOT NULL,
	"emoji_id" bigint NOT NULL,
	"image_key" varchar(80) NOT NULL,
	"width" integer NOT NULL,
	"height" integer NOT NULL,
	"faces" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "igemoji_users" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"email" varchar(200) NOT NULL,
	"alias" varchar(20) NOT NULL,
	"password_hash" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "igemoji_emojis" ADD CONSTRAINT "igemoji_emojis_user_id_igemoji_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."igemoji_users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "igemoji_faces" ADD CONSTRAINT "igemoji_faces_user_id_igemoji_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."igemoji_users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "igemoji_faces" ADD CONSTRAINT "igemoji_faces_emoji_id_igemoji_emojis_id_fk" FOREIGN KEY ("emoji_id") REFERENCES "public"."igemoji_emojis"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "igemoji_results" ADD CONSTRAINT "igemoji_results_user_id_igemoji_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."igemoji_users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "igemoji_results" ADD CONSTRAINT "igemoji_results_face_id_igemoji_faces_id_fk" FOREIGN KEY ("face_id") REFERENCES "public"."igemoji_faces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "igemoji_results" ADD CONSTRAINT "igemoji_results_emoji_id_igemoji_emojis_id_fk" FOREIGN KEY ("emoji_id") REFERENCES "public"."igemoji_emojis"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "igemoji_emojis_builtin_key" ON "igemoji_emojis" USING btree ("builtin_key");--> statement-breakpoint
CREATE INDEX "igemoji_emojis_active_idx" ON "igemoji_emojis" USING btree ("active","id");--> statement-breakpoint
CREATE INDEX "igemoji_emojis_user_idx" ON "igemoji_emojis" USING btree ("user_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "igemoji_faces_task_key" ON "igemoji_faces" USING btree ("task_id");--> statement-breakpoint
CREATE INDEX "igemoji_faces_user_idx" ON "igemoji_faces" USING btree ("user_id","id");--> statement-breakpoint
CREATE INDEX "igemoji_faces_open_idx" ON "igemoji_faces" USING btree ("status") WHERE "igemoji_faces"."status" in ('pending', 'processing');--> statement-breakpoint
CREATE UNIQUE INDEX "igemoji_results_face_key" ON "igemoji_results" USING btree ("face_id");--> statement-breakpoint
CREATE UNIQUE INDEX "igemoji_results_uuid_key" ON "igemoji_results" USING btree ("uuid");--> statement-breakpoint
CREATE INDEX "igemoji_results_user_idx" ON "igemoji_results" USING btree ("user_id","id");--> statement-breakpoint
CREATE INDEX "igemoji_results_ranking_idx" ON "igemoji_results" USING btree ("created_at","emoji_id");--> statement-breakpoint
CREATE UNIQUE INDEX "igemoji_users_email_key" ON "igemoji_users" USING btree (lower("email"));--> statement-breakpoint
CREATE UNIQUE INDEX "igemoji_users_alias_key" ON "igemoji_users" USING btree ("alias");