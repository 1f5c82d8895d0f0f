"""The activity plan, quick polls, questions to the panel, the evaluation and word clouds (issue 17, docs/activities.md)

Revision ID: cb84ed3ba429
Revises: c4d2e7a9b1f3
Create Date: 2026-12-06 13:30:42.502695

- activities: an event's plan, in order; at most one live per event (a partial unique index).
  Existing events get no rows: without a plan an event runs its proposal flow as before, and
  the first activity added brings that flow in as activity 1.
- poll_options: a poll's options, numbered from 0.
- poll_answers: one row per person and chosen option, each on one of the poll's own options.
- panel_questions: questions to the panel; at most one being answered ('live') per activity.
- panel_likes: one like per person and question.
- evaluation_answers: one per person and evaluation, three ratings 1-5 and a free text.
- cloud_words: a person's (at most three) words of a word cloud, with the stem it groups by.
- cloud_hidden_stems: words a moderator took out of a cloud.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'cb84ed3ba429'
down_revision = 'c4d2e7a9b1f3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('activities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('multiple', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('show_results', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('live', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("kind IN ('proposals', 'poll', 'questions', 'evaluation', 'words')", name=op.f('ck_activities_kind')),
    sa.CheckConstraint('position >= 1', name=op.f('ck_activities_position')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_activities_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activities')),
    sa.UniqueConstraint('event_id', 'position', name=op.f('uq_activities_event_id_position'))
    )
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.create_index('uq_activities_live', ['event_id'], unique=True, sqlite_where=sa.text('live'), postgresql_where=sa.text('live'))

    op.create_table('poll_options',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('text', sa.String(length=120), nullable=False),
    sa.CheckConstraint('position >= 0', name=op.f('ck_poll_options_position')),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_poll_options_activity_id_activities'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_poll_options')),
    sa.UniqueConstraint('activity_id', 'position', name=op.f('uq_poll_options_activity_id_position'))
    )
    op.create_table('poll_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['activity_id', 'position'], ['poll_options.activity_id', 'poll_options.position'], name=op.f('fk_poll_answers_activity_id_poll_options'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_poll_answers_activity_id_activities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_poll_answers_participant_id_participants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_poll_answers')),
    sa.UniqueConstraint('activity_id', 'participant_id', 'position', name=op.f('uq_poll_answers_activity_id_participant_id_position'))
    )
    with op.batch_alter_table('poll_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_poll_answers_participant_id'), ['participant_id'], unique=False)

    op.create_table('cloud_hidden_stems',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('stem', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_cloud_hidden_stems_activity_id_activities'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cloud_hidden_stems')),
    sa.UniqueConstraint('activity_id', 'stem', name=op.f('uq_cloud_hidden_stems_activity_id_stem'))
    )
    op.create_table('cloud_words',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('word', sa.String(length=30), nullable=False),
    sa.Column('stem', sa.String(length=64), nullable=False),
    sa.CheckConstraint('position BETWEEN 0 AND 2', name=op.f('ck_cloud_words_position')),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_cloud_words_activity_id_activities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_cloud_words_participant_id_participants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cloud_words')),
    sa.UniqueConstraint('activity_id', 'participant_id', 'position', name=op.f('uq_cloud_words_activity_id_participant_id_position'))
    )
    with op.batch_alter_table('cloud_words', schema=None) as batch_op:
        batch_op.create_index('ix_cloud_words_activity_stem', ['activity_id', 'stem'], unique=False)
        batch_op.create_index(batch_op.f('ix_cloud_words_participant_id'), ['participant_id'], unique=False)


    op.create_table('evaluation_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('overall', sa.Integer(), nullable=True),
    sa.Column('heard', sa.Integer(), nullable=True),
    sa.Column('next_steps', sa.Integer(), nullable=True),
    sa.Column('text', sa.String(length=1000), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('heard BETWEEN 1 AND 5', name=op.f('ck_evaluation_answers_heard')),
    sa.CheckConstraint('next_steps BETWEEN 1 AND 5', name=op.f('ck_evaluation_answers_next_steps')),
    sa.CheckConstraint('overall BETWEEN 1 AND 5', name=op.f('ck_evaluation_answers_overall')),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_evaluation_answers_activity_id_activities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_evaluation_answers_participant_id_participants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_answers')),
    sa.UniqueConstraint('activity_id', 'participant_id', name=op.f('uq_evaluation_answers_activity_id_participant_id'))
    )
    with op.batch_alter_table('evaluation_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_answers_participant_id'), ['participant_id'], unique=False)

    op.create_table('panel_questions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.String(length=280), nullable=False),
    sa.Column('status', sa.String(length=10), server_default='open', nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("status IN ('open', 'live', 'answered', 'hidden', 'pending')", name=op.f('ck_panel_questions_status')),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_panel_questions_activity_id_activities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_panel_questions_participant_id_participants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_panel_questions'))
    )
    with op.batch_alter_table('panel_questions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_panel_questions_activity_id'), ['activity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_panel_questions_participant_id'), ['participant_id'], unique=False)
        batch_op.create_index('uq_panel_questions_live', ['activity_id'], unique=True, sqlite_where=sa.text("status = 'live'"), postgresql_where=sa.text("status = 'live'"))

    op.create_table('panel_likes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_panel_likes_participant_id_participants'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['question_id'], ['panel_questions.id'], name=op.f('fk_panel_likes_question_id_panel_questions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_panel_likes')),
    sa.UniqueConstraint('question_id', 'participant_id', name=op.f('uq_panel_likes_question_id_participant_id'))
    )
    with op.batch_alter_table('panel_likes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_panel_likes_participant_id'), ['participant_id'], unique=False)


def downgrade():
    with op.batch_alter_table('cloud_words', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cloud_words_participant_id'))
        batch_op.drop_index('ix_cloud_words_activity_stem')

    op.drop_table('cloud_words')
    op.drop_table('cloud_hidden_stems')

    with op.batch_alter_table('panel_likes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_panel_likes_participant_id'))

    op.drop_table('panel_likes')
    with op.batch_alter_table('panel_questions', schema=None) as batch_op:
        batch_op.drop_index('uq_panel_questions_live', sqlite_where=sa.text("status = 'live'"), postgresql_where=sa.text("status = 'live'"))
        batch_op.drop_index(batch_op.f('ix_panel_questions_participant_id'))
        batch_op.drop_index(batch_op.f('ix_panel_questions_activity_id'))

    op.drop_table('panel_questions')
    with op.batch_alter_table('evaluation_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluation_answers_participant_id'))

    op.drop_table('evaluation_answers')

    with op.batch_alter_table('poll_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_poll_answers_participant_id'))

    op.drop_table('poll_answers')
    op.drop_table('poll_options')
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.drop_index('uq_activities_live', sqlite_where=sa.text('live'), postgresql_where=sa.text('live'))

    op.drop_table('activities')
