<?xml version="1.0" encoding="UTF-8"?>
<!-- Plain text of one document, or of the whole edition, from a teiCorpus of the edition's files.
     One logical line per line; Python wraps them. Line markers (private-use characters; text.py
     escapes the same characters in the TEI before the transform and restores them after it):
     U+E000 hang point (continuation lines align after it), U+E001/U+E002 heading of level 1/2
     (underlined with = or -), U+E00F starts a document. -->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:te="urn:teiedition"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xpath-default-namespace="http://www.tei-c.org/ns/1.0"
    exclude-result-prefixes="#all" expand-text="yes">

  <xsl:output method="text" encoding="UTF-8"/>
  <xsl:mode name="text" on-no-match="shallow-skip"/>
  <xsl:mode name="inline" on-no-match="text-only-copy"/>

  <xsl:variable name="hang" as="xs:string" select="'&#xE000;'"/>
  <xsl:variable name="nl" as="xs:string" select="'&#xA;'"/>
  <xsl:variable name="edition" as="element(TEI)?" select="(//TEI[@type = 'edition'])[1]"/>
  <xsl:key name="id" match="*[@xml:id]" use="@xml:id"/>

  <!-- The edition's title block, then each document after a U+E00F line naming it ('id ' and its
       xml:id, else 'file ' and its file's URI): one pass over the corpus, split into files by
       Python, which names them as the site names its pages (teiedition.naming). -->
  <xsl:template match="/">
    <xsl:apply-templates select="$edition" mode="text"/>
    <xsl:for-each select="te:documents(/)">
      <xsl:text>&#xE00F;{if (@xml:id) then 'id ' || @xml:id else 'file ' || base-uri(.)}{$nl}</xsl:text>
      <xsl:apply-templates select="." mode="text"/>
    </xsl:for-each>
  </xsl:template>

  <!-- Documents in the collection's order: by number (numerically, part by part), then date. -->
  <xsl:function name="te:documents" as="element(TEI)*">
    <xsl:param name="root" as="document-node()"/>
    <!-- Untyped TEI (from other projects) are documents too, as corpus.kind_of() infers. -->
    <xsl:perform-sort select="$root//TEI[@type = 'document' or not(@type = ('edition', 'register'))]">
      <xsl:sort select="te:sort-key(.//publicationStmt/idno[@type = 'number'])"/>
      <xsl:sort select="(.//creation/date/(@when, @notBefore))[1]"/>
    </xsl:perform-sort>
  </xsl:function>

  <xsl:function name="te:sort-key" as="xs:string">
    <xsl:param name="number" as="xs:string?"/>
    <xsl:sequence select="string-join(for $part in tokenize($number, '\D+')[. != '']
                          return format-number(xs:integer($part), '000000000'), '.')"/>
  </xsl:function>

  <!-- ===== the edition: title block and front matter ===== -->
  <xsl:template match="TEI[@type = 'edition']" mode="text">
    <xsl:variable name="file" select="teiHeader/fileDesc"/>
    <xsl:variable name="publication" select="$file/publicationStmt"/>
    <xsl:value-of select="te:heading(1, $file/titleStmt/title[@type = 'main'])"/>
    <xsl:for-each select="$file/titleStmt/title[@type = 'sub']">{te:line(.)}</xsl:for-each>
    <xsl:text>{$nl}</xsl:text>
    <xsl:for-each select="$file/titleStmt/editor">{te:line('Edited by ' || te:clean(.))}</xsl:for-each>
    <xsl:variable name="imprint" select="(
        $file/editionStmt/edition/@n ! ('Version ' || .),
        $publication/publisher ! te:clean(.),
        $publication/pubPlace ! te:clean(.),
        $publication/date ! te:date(.))[. != '']"/>
    <xsl:if test="exists($imprint)">{te:line(string-join($imprint, ', '))}</xsl:if>
    <xsl:for-each select="$publication/idno[@type = 'URI']">{te:line(te:clean(.))}</xsl:for-each>
    <xsl:for-each select="$publication/availability/licence">
      <xsl:value-of select="te:line('Licence: ' || $hang || te:sentences((te:clean(.), @target)))"/>
    </xsl:for-each>
    <xsl:for-each select="$file/sourceDesc/bibl[@xml:id = 'source']">
      <xsl:value-of select="te:line('Source: ' || $hang || te:bibl(.))"/>
    </xsl:for-each>
    <xsl:text>{$nl}</xsl:text>
    <xsl:apply-templates select="text/front/div[not(@type = 'contents')]" mode="text"/>
    <xsl:if test="exists(te:documents(root(.)))">
      <xsl:value-of select="te:heading(2, 'Contents')"/>
      <xsl:for-each select="te:documents(root(.))">
        <xsl:variable name="number" select="te:number(.)"/>
        <xsl:variable name="date" select="te:date(te:creation-date(.))"/>
        <!-- The date after the title, unless the title already gives it. -->
        <xsl:value-of select="te:line(($number, '') [1] || (if ($number) then '  ' else '') || $hang
                              || te:title(.) || ($date[. != ''][not(contains(te:title(current()), .))]
                                                 ! (' (' || . || ')')))"/>
      </xsl:for-each>
      <xsl:text>{$nl}</xsl:text>
    </xsl:if>
  </xsl:template>

  <xsl:template match="front/div | front/div//div" mode="text">
    <xsl:value-of select="te:heading(if (parent::front) then 2 else 3, head[1])"/>
    <xsl:apply-templates select="* except head[1]" mode="text"/>
  </xsl:template>

  <!-- ===== a document: header block, text, endnotes ===== -->
  <xsl:template match="TEI[not(@type = ('edition', 'register'))]" mode="text">
    <xsl:variable name="profile" select="teiHeader/profileDesc"/>
    <xsl:value-of select="te:field('Number', te:number(.))"/>
    <xsl:value-of select="te:field('Title', te:title(.))"/>
    <xsl:value-of select="te:field('Date', te:date(te:creation-date(.)))"/>
    <xsl:value-of select="te:field('Type', te:doctype(.))"/>
    <xsl:value-of select="te:field('Sender', te:party($profile/correspDesc/correspAction[@type = 'sent']))"/>
    <xsl:value-of select="te:field('Recipient',
                          te:party($profile/correspDesc/correspAction[@type = 'received']))"/>
    <xsl:value-of select="te:field('Source', te:source(teiHeader/fileDesc/sourceDesc/bibl[1]))"/>
    <xsl:text>{$nl}</xsl:text>
    <xsl:apply-templates select="text/(front, body, back)" mode="text"/>
    <xsl:variable name="notes" select="text//note"/>
    <xsl:if test="exists($notes)">
      <xsl:value-of select="te:heading(3, 'Notes')"/>
      <xsl:for-each select="$notes">
        <xsl:value-of select="te:line('[' || te:note-number(.) || '] ' || $hang || te:inline(node()))"/>
      </xsl:for-each>
      <xsl:text>{$nl}</xsl:text>
    </xsl:if>
  </xsl:template>

  <xsl:template match="body | front | back | div" mode="text">
    <xsl:apply-templates select="*" mode="text"/>
  </xsl:template>

  <xsl:template match="head" mode="text">
    <xsl:value-of select="te:heading(if (ancestor::div[2]) then 3 else 2, .)"/>
  </xsl:template>

  <xsl:template match="p | ab | quote[not(ancestor::p)] | salute | signed | dateline | trailer
                       | byline | epigraph | argument" mode="text">
    <xsl:value-of select="te:line(te:inline(node()))"/>
    <xsl:if test="not(parent::opener or parent::closer) or empty(following-sibling::*)">
      <xsl:text>{$nl}</xsl:text>
    </xsl:if>
  </xsl:template>

  <xsl:template match="opener | closer | postscript | lg" mode="text">
    <xsl:apply-templates select="*" mode="text"/>
    <xsl:if test="empty(*)">{te:line(te:inline(node()))}{$nl}</xsl:if>
  </xsl:template>

  <xsl:template match="l" mode="text">{te:line(te:inline(node()))}</xsl:template>

  <!-- A segment standing as a block (a classification mark in an opener): a line of its own. -->
  <xsl:template match="seg" mode="text">
    <xsl:value-of select="te:line(te:inline(node()))"/>
    <xsl:if test="not(parent::opener or parent::closer) or empty(following-sibling::*)">
      <xsl:text>{$nl}</xsl:text>
    </xsl:if>
  </xsl:template>

  <xsl:template match="list" mode="text">
    <xsl:value-of select="head ! te:line(te:inline(node()))"/>
    <xsl:for-each select="item">
      <xsl:variable name="label" select="te:item-label(.)"/>
      <xsl:value-of select="te:line($label || ' ' || $hang || te:inline(node()))"/>
    </xsl:for-each>
    <xsl:text>{$nl}</xsl:text>
  </xsl:template>

  <xsl:template match="gap" mode="text">{te:line('[…]')}{$nl}</xsl:template>

  <xsl:template match="note | figure | fw" mode="text"/>

  <!-- The loud fallback: an unhandled block element still gives its text, and is reported. -->
  <xsl:template match="*" mode="text">
    <xsl:message>unhandled|{base-uri(.)}|{local-name()}</xsl:message>
    <xsl:value-of select="te:line(te:inline(node()))"/>{$nl}
  </xsl:template>

  <!-- ===== inline content: the reading text of a paragraph ===== -->
  <xsl:function name="te:inline" as="xs:string">
    <xsl:param name="nodes" as="node()*"/>
    <xsl:variable name="raw" as="xs:string*">
      <xsl:apply-templates select="$nodes" mode="inline"/>
    </xsl:variable>
    <!-- Whitespace collapses within each line; only lb makes a line break. -->
    <xsl:sequence select="string-join(tokenize(string-join($raw), '&#xA;') ! normalize-space(.), $nl)"/>
  </xsl:function>

  <xsl:template match="text()" mode="inline">{replace(., '&#xA;', ' ')}</xsl:template>
  <xsl:template match="lb" mode="inline">{$nl}</xsl:template>
  <xsl:template match="gap" mode="inline">[…]</xsl:template>
  <xsl:template match="note" mode="inline">[{te:note-number(.)}]</xsl:template>
  <!-- As on the site (common/phrase.xsl): the edition's reading, then every other in brackets. -->
  <xsl:template match="choice" mode="inline">
    <xsl:variable name="shown" as="element()?" select="(corr, reg, expan, *)[1]"/>
    <xsl:apply-templates select="$shown" mode="inline"/>
    <xsl:for-each select="* except $shown">
      <xsl:text> [{(map{'sic': 'sic', 'orig': 'orig.', 'abbr': 'abbr.'}(local-name()), 'or')[1]}: </xsl:text>
      <xsl:apply-templates select="." mode="inline"/>]</xsl:for-each>
  </xsl:template>
  <xsl:template match="sic[not(parent::choice)]" mode="inline">
    <xsl:apply-templates mode="inline"/> [sic]</xsl:template>
  <xsl:template match="unclear" mode="inline"><xsl:apply-templates mode="inline"/>[?]</xsl:template>
  <xsl:template match="supplied" mode="inline">[<xsl:apply-templates mode="inline"/>]</xsl:template>
  <xsl:template match="del" mode="inline">[del: <xsl:apply-templates mode="inline"/>]</xsl:template>
  <xsl:template match="fw | figure | pb | cb | milestone | anchor | index" mode="inline"/>
  <xsl:template match="list | item | p" mode="inline">
    <xsl:apply-templates mode="inline"/>
    <xsl:text> </xsl:text>
  </xsl:template>

  <!-- Phrase-level TEI the text keeps as plain words. -->
  <xsl:template match="hi | emph | foreign | term | title | q | quote | said | mentioned | soCalled
                       | persName | placeName | orgName | rs | name | date | time | num | measure
                       | forename | surname | roleName | addName | geogName | settlement | country
                       | ref | ptr[@target] | add | corr | reg | sic | orig | abbr | expan | seg | w | c | pc
                       | bibl | biblScope | idno | email | address | addrLine | lang | label | head | s"
                mode="inline">
    <xsl:apply-templates mode="inline"/>
  </xsl:template>

  <xsl:template match="*" mode="inline">
    <xsl:message>unhandled|{base-uri(.)}|{local-name()}</xsl:message>
    <xsl:apply-templates mode="inline"/>
  </xsl:template>

  <!-- ===== small decisions made once ===== -->
  <xsl:function name="te:line" as="xs:string">
    <xsl:param name="text" as="xs:string"/>
    <xsl:sequence select="$text || $nl"/>
  </xsl:function>

  <xsl:function name="te:heading" as="xs:string">
    <xsl:param name="level" as="xs:integer"/>
    <xsl:param name="head" as="item()?"/>
    <xsl:variable name="text" select="if ($head instance of element()) then te:inline($head/node())
                                      else string($head)"/>
    <xsl:variable name="marker" select="('&#xE001;', '&#xE002;', '')[$level]"/>
    <xsl:sequence select="if ($text = '') then '' else $marker || $text || $nl || $nl"/>
  </xsl:function>

  <xsl:function name="te:field" as="xs:string">
    <xsl:param name="label" as="xs:string"/>
    <xsl:param name="value" as="xs:string?"/>
    <xsl:sequence select="if (normalize-space($value) = '') then ''
                          else te:line(substring($label || ':' || '           ', 1, 11) || $hang || $value)"/>
  </xsl:function>

  <xsl:function name="te:clean" as="xs:string">
    <xsl:param name="item" as="item()?"/>
    <xsl:sequence select="normalize-space(string($item))"/>
  </xsl:function>

  <xsl:function name="te:number" as="xs:string">
    <xsl:param name="document" as="element(TEI)"/>
    <xsl:sequence select="te:clean($document/teiHeader/fileDesc/publicationStmt/idno[@type = 'number'][1])"/>
  </xsl:function>

  <xsl:function name="te:title" as="xs:string">
    <xsl:param name="document" as="element(TEI)"/>
    <xsl:variable name="titles" select="$document/teiHeader/fileDesc/titleStmt/title"/>
    <xsl:sequence select="te:clean(($titles[@type = 'main'], $titles[not(@type)], $titles)[1])"/>
  </xsl:function>

  <xsl:function name="te:creation-date" as="element()?">
    <xsl:param name="document" as="element(TEI)"/>
    <xsl:sequence select="($document/teiHeader/profileDesc/creation/date,
                           $document/teiHeader/profileDesc/correspDesc/correspAction[@type = 'sent']/date)[1]"/>
  </xsl:function>

  <!-- A date as a reader writes it: its own text, else its ISO value (day, month or year). -->
  <xsl:function name="te:date" as="xs:string">
    <xsl:param name="date" as="element()?"/>
    <xsl:sequence select="
      if (empty($date)) then ''
      else if (te:clean($date) != '' and not($date/parent::creation)) then te:clean($date)
      else if ($date/@when) then te:iso-date($date/@when)
      else if ($date/@notBefore and $date/@notAfter)
        then 'between ' || te:iso-date($date/@notBefore) || ' and ' || te:iso-date($date/@notAfter)
      else if ($date/@notBefore) then 'not before ' || te:iso-date($date/@notBefore)
      else if ($date/@notAfter) then 'not after ' || te:iso-date($date/@notAfter)
      else te:clean($date)"/>
  </xsl:function>

  <xsl:function name="te:iso-date" as="xs:string">
    <xsl:param name="value" as="xs:string"/>
    <xsl:sequence select="
      if ($value castable as xs:date) then format-date(xs:date($value), '[D] [MNn] [Y]', 'en', (), ())
      else if ($value || '-01' castable as xs:date)
        then format-date(xs:date($value || '-01'), '[MNn] [Y]', 'en', (), ())
      else $value"/>
  </xsl:function>

  <xsl:function name="te:doctype" as="xs:string">
    <xsl:param name="document" as="element(TEI)"/>
    <xsl:variable name="target" select="substring-after(($document//catRef/@target)[1], '#')"/>
    <xsl:sequence select="te:clean(key('id', $target, root($document))/catDesc[1])"/>
  </xsl:function>

  <!-- A person, place or organisation: the register's main name, else the text as written. -->
  <xsl:function name="te:name" as="xs:string">
    <xsl:param name="name" as="element()"/>
    <xsl:variable name="entry" select="key('id', substring-after(($name/@ref, '')[1], '#'), root($name))"/>
    <xsl:variable name="names" select="$entry/(persName, placeName, orgName)"/>
    <xsl:variable name="main" select="($names[@type = 'main'], $names)[1]"/>
    <xsl:sequence select="if ($main) then normalize-space(string-join($main//text(), ''))
                          else te:inline($name/node())"/>
  </xsl:function>

  <xsl:function name="te:party" as="xs:string">
    <xsl:param name="action" as="element(correspAction)*"/>
    <xsl:variable name="who" select="$action/(persName, orgName) ! te:name(.)"/>
    <xsl:variable name="where" select="$action/placeName ! te:name(.)"/>
    <xsl:sequence select="string-join($who, '; ')
                          || (if (exists($where)) then ' (' || string-join($where, '; ') || ')' else '')"/>
  </xsl:function>

  <!-- The source: the document's own bibl title, else the collection it points at; then its scopes. -->
  <xsl:function name="te:source" as="xs:string">
    <xsl:param name="bibl" as="element()?"/>
    <xsl:variable name="collection"
        select="$bibl/@corresp ! key('id', substring-after(., '#'), root($bibl))"/>
    <xsl:variable name="title" select="($bibl/title[1] ! te:clean(.),
        $collection ! te:clean(string-join((title, text()), ' ')), $collection ! te:clean(.))[. != ''][1]"/>
    <xsl:variable name="own" select="te:clean(string-join($bibl/(text() | author | editor | date
                                     | publisher | pubPlace), ' '))"/>
    <!-- A bare number gets its unit: 'document 4.2'; a scope with words stands as written. -->
    <xsl:variable name="scopes" select="$bibl/biblScope ! (
        if (matches(te:clean(.), '\p{L}')) then te:clean(.)
        else string-join((@unit, (te:clean(.)[. != ''], @n, @from)[1]), ' '))"/>
    <xsl:sequence select="string-join(($title, $own, $scopes)[. != ''], ', ')"/>
  </xsl:function>

  <!-- A bibliographic description: as written when it is prose; its parts (title, edition,
       publisher, scope ...) as sentences when it holds only elements, a nested bibl likewise. -->
  <xsl:function name="te:bibl" as="xs:string">
    <xsl:param name="bibl" as="element()"/>
    <xsl:sequence select="if ($bibl/text()[normalize-space()]) then te:inline($bibl/node())
                          else te:sentences($bibl/* ! (if (self::bibl) then te:bibl(.)
                                                       else te:inline(node())))"/>
  </xsl:function>

  <xsl:function name="te:sentences" as="xs:string">
    <xsl:param name="parts" as="xs:string*"/>
    <xsl:sequence select="string-join($parts[. != ''] ! (. || te:full-stop(.)), ' ')"/>
  </xsl:function>

  <!-- The full stop a sentence of a description needs: none after an address (a URL, a domain)
       or after a part that ends with its own. -->
  <xsl:function name="te:full-stop" as="xs:string">
    <xsl:param name="text" as="xs:string"/>
    <xsl:sequence select="if (matches($text, '([.!?]|(^|\s)(\S+://\S+|[\w\-]+(\.[\w\-]+)+/?))$'))
                          then '' else '.'"/>
  </xsl:function>

  <xsl:function name="te:note-number" as="xs:string">
    <xsl:param name="note" as="element(note)"/>
    <xsl:variable name="number" as="xs:string">
      <xsl:number select="$note" level="any" from="TEI" count="note[ancestor::text]"/>
    </xsl:variable>
    <xsl:sequence select="$number"/>
  </xsl:function>

  <xsl:function name="te:item-label" as="xs:string">
    <xsl:param name="item" as="element(item)"/>
    <xsl:variable name="list" select="$item/parent::list"/>
    <xsl:sequence select="
      if ($item/@n) then string($item/@n) || (if (matches($item/@n, '^\w+$')) then '.' else '')
      else if ($list/@rend = ('numbered', 'ordered') or $list/@type = ('numbered', 'ordered'))
        then string(count($item/preceding-sibling::item) + 1) || '.'
      else '-'"/>
  </xsl:function>
</xsl:stylesheet>
