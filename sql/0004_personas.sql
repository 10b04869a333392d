-- 0004_personas: a workspace's personas, their tags, persona libraries
-- (named collections) and interviews (conversations with one persona).
-- SPEC.md 2, 3; portable SQL. Every row carries workspace_id and every query
-- of it is scoped by it.
CREATE TABLE personas (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id),
    type TEXT NOT NULL CHECK (type IN ('custom', 'template', 'generated')),
    template_id TEXT,                   -- the template it was added from
    name TEXT NOT NULL,
    -- the demographics again, as columns to filter and sort by
    age INTEGER,
    gender TEXT NOT NULL DEFAULT '',
    location TEXT NOT NULL DEFAULT '',
    country TEXT NOT NULL DEFAULT '',   -- the part of location after its last comma
    occupation TEXT NOT NULL DEFAULT '',
    income_level TEXT NOT NULL DEFAULT '',
    nationality TEXT NOT NULL DEFAULT '',
    education TEXT NOT NULL DEFAULT '',
    language TEXT NOT NULL DEFAULT '',
    spec TEXT NOT NULL,                 -- name, demographics, personality, profile (JSON)
    tags TEXT NOT NULL DEFAULT '',      -- the tags again, one a line, to read them with the row
    search TEXT NOT NULL,               -- lower-case text the search looks in
    validation_score INTEGER,           -- thousandths: 0..1000
    validation_reasons TEXT,
    validated_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX personas_workspace ON personas (workspace_id, created_at);

CREATE TABLE persona_tags (
    persona_id TEXT NOT NULL REFERENCES personas (id) ON DELETE CASCADE,
    workspace_id TEXT NOT NULL,
    tag TEXT NOT NULL,                  -- lower-case
    PRIMARY KEY (persona_id, tag)
);
CREATE INDEX persona_tags_workspace ON persona_tags (workspace_id, tag);

CREATE TABLE libraries (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id),
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX libraries_name ON libraries (workspace_id, name);

CREATE TABLE library_personas (
    library_id TEXT NOT NULL REFERENCES libraries (id) ON DELETE CASCADE,
    persona_id TEXT NOT NULL REFERENCES personas (id) ON DELETE CASCADE,
    workspace_id TEXT NOT NULL,
    added_at BIGINT NOT NULL,
    PRIMARY KEY (library_id, persona_id)
);
CREATE INDEX library_personas_persona ON library_personas (persona_id);

CREATE TABLE conversations (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id),
    persona_id TEXT NOT NULL REFERENCES personas (id) ON DELETE CASCADE,
    user_id TEXT NOT NULL,              -- who held it
    title TEXT NOT NULL,                -- the first message, cut
    messages INTEGER NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX conversations_persona ON conversations (workspace_id, persona_id, updated_at);

CREATE TABLE conversation_messages (
    conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,               -- 1, 2, ... in the conversation
    role TEXT NOT NULL CHECK (role IN ('user', 'persona')),
    content TEXT NOT NULL,
    model TEXT,                         -- who answered (persona messages)
    created_at BIGINT NOT NULL,
    PRIMARY KEY (conversation_id, seq)
);
