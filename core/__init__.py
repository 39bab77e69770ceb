"""The ground floor: tools every app shares and that are about no one subject of the story
(dates as precise as the story knows them, text folding, links, pagination, the bulk-write
queryset, admin helpers). It imports no app of the archive."""
