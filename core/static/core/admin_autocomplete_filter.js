'use strict';
// The admin list filters chosen in an autocomplete box (core.admin_lists.AutocompleteFilter):
// choosing a row reloads the list filtered by it, from the first page, other filters kept.
{
    const $ = django.jQuery;
    $(document).on('change', 'select.autocomplete-filter', function() {
        const url = new URL(window.location.href);
        const parameter = this.dataset.filterParameter;
        if (this.value) {
            url.searchParams.set(parameter, this.value);
        } else {
            url.searchParams.delete(parameter);
        }
        url.searchParams.delete('p');
        window.location.assign(url.toString());
    });
}
