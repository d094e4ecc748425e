CREATE TABLE "import_ids" (
	"app" varchar(20) NOT NULL,
	"source_table" varchar(64) NOT NULL,
	"source_id" varchar(80) NOT NULL,
	"target_id" varchar(80) NOT NULL,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "import_ids_app_source_table_source_id_pk" PRIMARY KEY("app","source_table","source_id")
);
--> statement-breakpoint
CREATE TABLE "import_runs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"app" varchar(20) NOT NULL,
	"source" varchar(500) NOT NULL,
	"status" varchar(12) DEFAULT 'running' NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"summary" jsonb
);
