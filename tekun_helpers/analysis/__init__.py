"""What the month's tables say: statistics, rules, the schedule, staffing, money, benefits, trends, and the
follow-up register across months.

Functions take and return DataFrames (no hidden state). What is wrong is a typed finding
(:mod:`.findings`: each kind declared once with its title, sentence template, owner and how it is resolved),
made here and rendered by :mod:`tekun_helpers.report` and :mod:`tekun_helpers.publish`.

- :mod:`.stats`, :mod:`.assessment`, :mod:`.rules`, :mod:`.placement`: townships, homes, the assessment
  roll-up, who is to be moved, escalated or treated, and where the people to move can go;
- :mod:`.progress`, :mod:`.staffing`: the plan's schedule and the homes' staff;
- :mod:`.funds`, :mod:`.exclusions`, :mod:`.compliance`: the support money and benefits that exclude each other;
- :mod:`.trends`, :mod:`.flows`, :mod:`.register`: the months before, the people's flow, the follow-up register.
"""
