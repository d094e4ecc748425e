CREATE TABLE "mealbuddy_address_changes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"user_id" bigint NOT NULL,
	"old_address" varchar(200) NOT NULL,
	"new_address" varchar(200) NOT NULL,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "mealbuddy_address_changes" ADD CONSTRAINT "mealbuddy_address_changes_user_id_mealbuddy_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."mealbuddy_users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "mealbuddy_address_changes_user_idx" ON "mealbuddy_address_changes" USING btree ("user_id","changed_at");