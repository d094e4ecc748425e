CREATE TABLE "machines_users" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"username" varchar(150) NOT NULL,
	"email" varchar(254) NOT NULL,
	"password_hash" text NOT NULL,
	"first_name" varchar(30) DEFAULT '' NOT NULL,
	"last_name" varchar(150) DEFAULT '' NOT NULL,
	"is_staff" boolean DEFAULT false NOT NULL,
	"is_superuser" boolean DEFAULT false NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"last_login" timestamp with time zone,
	"date_joined" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "machines_machines" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"name" varchar(64) NOT NULL,
	"location" varchar(256) NOT NULL,
	"endpoint_url" varchar(512),
	"status" smallint DEFAULT 1 NOT NULL,
	"owner_id" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "machines_machines_status_check" CHECK ("machines_machines"."status" between 0 and 4)
);
--> statement-breakpoint
CREATE TABLE "machines_runs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"machine_id" bigint NOT NULL,
	"worker_id" bigint NOT NULL,
	"machine_owner_id" bigint NOT NULL,
	"command" varchar(16) NOT NULL,
	"state" varchar(16) NOT NULL,
	"result" smallint,
	"reason" varchar(64),
	"status_after" smallint,
	"request_datetime" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"lease_token" uuid,
	"lease_until" timestamp with time zone,
	"attempts" smallint DEFAULT 0 NOT NULL,
	CONSTRAINT "machines_runs_state_check" CHECK ("machines_runs"."state" in ('pending', 'running', 'done', 'failed', 'rejected')),
	CONSTRAINT "machines_runs_result_check" CHECK ("machines_runs"."result" is null or "machines_runs"."result" between 1 and 7),
	CONSTRAINT "machines_runs_command_check" CHECK ("machines_runs"."command" in ('START', 'STOP'))
);
--> statement-breakpoint
ALTER TABLE "machines_machines" ADD CONSTRAINT "machines_machines_owner_id_machines_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."machines_users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "machines_runs" ADD CONSTRAINT "machines_runs_machine_id_machines_machines_id_fk" FOREIGN KEY ("machine_id") REFERENCES "public"."machines_machines"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "machines_runs" ADD CONSTRAINT "machines_runs_worker_id_machines_users_id_fk" FOREIGN KEY ("worker_id") REFERENCES "public"."machines_users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "machines_runs" ADD CONSTRAINT "machines_runs_machine_owner_id_machines_users_id_fk" FOREIGN KEY ("machine_owner_id") REFERENCES "public"."machines_users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "machines_users_username_key" ON "machines_users" USING btree (lower("username"));--> statement-breakpoint
CREATE UNIQUE INDEX "machines_users_email_key" ON "machines_users" USING btree (lower("email"));--> statement-breakpoint
CREATE INDEX "machines_machines_owner_idx" ON "machines_machines" USING btree ("owner_id","id") WHERE "machines_machines"."deleted_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "machines_runs_active_key" ON "machines_runs" USING btree ("machine_id") WHERE "machines_runs"."state" in ('pending', 'running');--> statement-breakpoint
CREATE INDEX "machines_runs_machine_time_idx" ON "machines_runs" USING btree ("machine_id","request_datetime" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "machines_runs_machine_result_idx" ON "machines_runs" USING btree ("machine_id","result","request_datetime" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "machines_runs_worker_time_idx" ON "machines_runs" USING btree ("worker_id","request_datetime" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "machines_runs_worker_result_idx" ON "machines_runs" USING btree ("worker_id","result","request_datetime" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "machines_runs_owner_time_idx" ON "machines_runs" USING btree ("machine_owner_id","request_datetime" DESC NULLS LAST,"id" DESC NULLS LAST);