CREATE TABLE "mealbuddy_chat_joins" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"room_id" bigint NOT NULL,
	"user_id" bigint NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"is_banned" boolean DEFAULT false NOT NULL,
	"joined_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "mealbuddy_chat_messages" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"room_id" bigint NOT NULL,
	"user_id" bigint,
	"message" varchar(300) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "mealbuddy_chat_rooms" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"post_id" bigint NOT NULL,
	"is_deleted" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "mealbuddy_menu_turns" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"user_id" bigint NOT NULL,
	"role" varchar(16) NOT NULL,
	"content" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "mealbuddy_menu_usage" (
	"user_id" bigint NOT NULL,
	"day" date NOT NULL,
	"count" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "mealbuddy_menu_usage_user_id_day_pk" PRIMARY KEY("user_id","day")
);
--> statement-breakpoint
CREATE TABLE "mealbuddy_posts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"title" varchar(30) NOT NULL,
	"category" varchar(30) NOT NULL,
	"content" text NOT NULL,
	"writer_id" bigint NOT NULL,
	"address" varchar(200) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"is_compelete" boolean DEFAULT false NOT NULL,
	"target_number" integer NOT NULL,
	"join_number" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "mealbuddy_posts_join_number_check" CHECK ("mealbuddy_posts"."join_number" >= 0 and "mealbuddy_posts"."join_number" <= "mealbuddy_posts"."target_number"),
	CONSTRAINT "mealbuddy_posts_target_number_check" CHECK ("mealbuddy_posts"."target_number" between 1 and 10)
);
--> statement-breakpoint
CREATE TABLE "mealbuddy_users" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"email" varchar(254) NOT NULL,
	"username" varchar(255) NOT NULL,
	"password_hash" text NOT NULL,
	"address" varchar(200) NOT NULL,
	"lat" double precision,
	"lon" double precision,
	"is_active" boolean DEFAULT true NOT NULL,
	"is_staff" boolean DEFAULT false NOT NULL,
	"last_login" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "mealbuddy_chat_joins" ADD CONSTRAINT "mealbuddy_chat_joins_room_id_mealbuddy_chat_rooms_id_fk" FOREIGN KEY ("room_id") REFERENCES "public"."mealbuddy_chat_rooms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mealbuddy_chat_joins" ADD CONSTRAINT "mealbuddy_chat_joins_user_id_mealbuddy_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."mealbuddy_users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mealbuddy_chat_messages" ADD CONSTRAINT "mealbuddy_chat_messages_room_id_mealbuddy_chat_rooms_id_fk" FOREIGN KEY ("room_id") REFERENCES "public"."mealbuddy_chat_rooms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mealbuddy_chat_messages" ADD CONSTRAINT "mealbuddy_chat_messages_user_id_mealbuddy_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."mealbuddy_users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mealbuddy_chat_rooms" ADD CONSTRAINT "mealbuddy_chat_rooms_post_id_mealbuddy_posts_id_fk" FOREIGN KEY ("post_id") REFERENCES "public"."mealbuddy_posts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mealbuddy_menu_turns" ADD CONSTRAINT "mealbuddy_menu_turns_user_id_mealbuddy_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."mealbuddy_users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mealbuddy_menu_usage" ADD CONSTRAINT "mealbuddy_menu_usage_user_id_mealbuddy_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."mealbuddy_users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mealbuddy_posts" ADD CONSTRAINT "mealbuddy_posts_writer_id_mealbuddy_users_id_fk" FOREIGN KEY ("writer_id") REFERENCES "public"."mealbuddy_users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "mealbuddy_chat_joins_room_user_key" ON "mealbuddy_chat_joins" USING btree ("room_id","user_id");--> statement-breakpoint
CREATE INDEX "mealbuddy_chat_joins_user_idx" ON "mealbuddy_chat_joins" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "mealbuddy_chat_messages_room_idx" ON "mealbuddy_chat_messages" USING btree ("room_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "mealbuddy_chat_rooms_post_key" ON "mealbuddy_chat_rooms" USING btree ("post_id");--> statement-breakpoint
CREATE INDEX "mealbuddy_menu_turns_user_idx" ON "mealbuddy_menu_turns" USING btree ("user_id","id");--> statement-breakpoint
CREATE INDEX "mealbuddy_posts_address_idx" ON "mealbuddy_posts" USING btree ("address","created_at","id");--> statement-breakpoint
CREATE INDEX "mealbuddy_posts_address_category_idx" ON "mealbuddy_posts" USING btree ("address","category","created_at","id");--> statement-breakpoint
CREATE INDEX "mealbuddy_posts_writer_idx" ON "mealbuddy_posts" USING btree ("writer_id");--> statement-breakpoint
CREATE UNIQUE INDEX "mealbuddy_users_email_key" ON "mealbuddy_users" USING btree ("email");--> statement-breakpoint
CREATE UNIQUE INDEX "mealbuddy_users_username_key" ON "mealbuddy_users" USING btree ("username");