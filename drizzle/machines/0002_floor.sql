CREATE TABLE "machines_alarm_rules" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"machine_id" bigint NOT NULL,
	"kind" varchar(16) NOT NULL,
	"metric" varchar(24),
	"min" double precision,
	"max" double precision,
	"duration_s" integer DEFAULT 0 NOT NULL,
	"severity" varchar(8) DEFAULT 'warning' NOT NULL,
	"breach_since" timestamp with time zone,
	"enabled" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "machines_alarm_rules_kind_check" CHECK ("machines_alarm_rules"."kind" in ('threshold', 'out_of_range', 'no_data', 'state_error')),
	CONSTRAINT "machines_alarm_rules_severity_check" CHECK ("machines_alarm_rules"."severity" in ('info', 'warning', 'critical'))
);
--> statement-breakpoint
CREATE TABLE "machines_alarms" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"rule_id" bigint NOT NULL,
	"machine_id" bigint NOT NULL,
	"owner_id" bigint NOT NULL,
	"kind" varchar(16) NOT NULL,
	"severity" varchar(8) NOT NULL,
	"message" varchar(200) NOT NULL,
	"value" double precision,
	"raised_at" timestamp with time zone NOT NULL,
	"cleared_at" timestamp with time zone,
	"acknowledged_at" timestamp with time zone,
	"acknowledged_by" bigint
);
--> statement-breakpoint
CREATE TABLE "machines_connections" (
	"machine_id" bigint PRIMARY KEY NOT NULL,
	"protocol" varchar(8) NOT NULL,
	"url" varchar(512) NOT NULL,
	"username" varchar(128),
	"password" varchar(256),
	"topic" varchar(200),
	"node_id" varchar(256),
	"security_mode" varchar(16) DEFAULT 'None' NOT NULL,
	"security_policy" varchar(32) DEFAULT 'None' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "machines_connections_protocol_check" CHECK ("machines_connections"."protocol" in ('mqtt', 'opcua'))
);
--> statement-breakpoint
CREATE TABLE "machines_readings_hourly" (
	"machine_id" bigint NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"samples" integer NOT NULL,
	"state_samples" integer NOT NULL,
	"running_samples" integer NOT NULL,
	"cycle_time_avg" double precision,
	"cycle_time_max" double precision,
	"good_parts" bigint,
	"good_parts_min" bigint,
	"reject_parts" bigint,
	"reject_parts_min" bigint,
	"barrel_temp_avg" double precision,
	"mould_temp_avg" double precision,
	CONSTRAINT "machines_readings_hourly_machine_id_hour_pk" PRIMARY KEY("machine_id","hour")
);
--> statement-breakpoint
CREATE TABLE "machines_readings" (
	"machine_id" bigint NOT NULL,
	"ts" timestamp with time zone NOT NULL,
	"state" smallint,
	"cycle_time_ms" integer,
	"cycle_counter" bigint,
	"good_parts" bigint,
	"reject_parts" bigint,
	"barrel_temp_c" real,
	"mould_temp_c" real
);
--> statement-breakpoint
ALTER TABLE "machines_alarm_rules" ADD CONSTRAINT "machines_alarm_rules_machine_id_machines_machines_id_fk" FOREIGN KEY ("machine_id") REFERENCES "public"."machines_machines"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "machines_alarms" ADD CONSTRAINT "machines_alarms_rule_id_machines_alarm_rules_id_fk" FOREIGN KEY ("rule_id") REFERENCES "public"."machines_alarm_rules"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "machines_alarms" ADD CONSTRAINT "machines_alarms_machine_id_machines_machines_id_fk" FOREIGN KEY ("machine_id") REFERENCES "public"."machines_machines"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "machines_alarms" ADD CONSTRAINT "machines_alarms_owner_id_machines_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."machines_users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "machines_alarms" ADD CONSTRAINT "machines_alarms_acknowledged_by_machines_users_id_fk" FOREIGN KEY ("acknowledged_by") REFERENCES "public"."machines_users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "machines_connections" ADD CONSTRAINT "machines_connections_machine_id_machines_machines_id_fk" FOREIGN KEY ("machine_id") REFERENCES "public"."machines_machines"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "machines_readings_hourly" ADD CONSTRAINT "machines_readings_hourly_machine_id_machines_machines_id_fk" FOREIGN KEY ("machine_id") REFERENCES "public"."machines_machines"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "machines_readings" ADD CONSTRAINT "machines_readings_machine_id_machines_machines_id_fk" FOREIGN KEY ("machine_id") REFERENCES "public"."machines_machines"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "machines_alarm_rules_machine_idx" ON "machines_alarm_rules" USING btree ("machine_id");--> statement-breakpoint
CREATE UNIQUE INDEX "machines_alarms_open_key" ON "machines_alarms" USING btree ("rule_id") WHERE "machines_alarms"."cleared_at" is null;--> statement-breakpoint
CREATE INDEX "machines_alarms_machine_time_idx" ON "machines_alarms" USING btree ("machine_id","raised_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "machines_readings_machine_ts_idx" ON "machines_readings" USING btree ("machine_id","ts");